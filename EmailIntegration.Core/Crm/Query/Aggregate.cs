namespace EmailIntegration.Core.Crm.Query;

/// <summary>An aggregate over a has-many path, per row: <c>MIN(conversation.earliestunread)</c> as <c>Key</c>.</summary>
public sealed record Aggregate(string Key, string Operator, string Path);
