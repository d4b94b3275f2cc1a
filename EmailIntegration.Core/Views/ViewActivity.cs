namespace EmailIntegration.Core.Views;

/// <summary>A source of the card's activity feed: a path of relations to the objects shown (newest first).</summary>
public sealed record ViewActivity(string Title, string Path);
