namespace EmailIntegration.Core.Conversations;

/// <summary>A signed-in staff member acting on a conversation: their user id, name and email address.</summary>
public sealed record AgentIdentity(string UserId, string Name, string? Email);
