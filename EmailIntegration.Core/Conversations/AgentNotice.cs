namespace EmailIntegration.Core.Conversations;

/// <summary>A customer's answer an agent hears of: who wrote, about what, and the page of its ticket.</summary>
public sealed record AgentNotice(string From, string Subject, string Href);
