namespace EmailIntegration.Core.Conversations;

public sealed record ThreadFollower(long Id, string? Name, string? Address, string? Level, bool Active, bool Subscribed);
