namespace EmailIntegration.Core.Import;

/// <summary>A conversation that lacks a parent its account's mapping now asks for.</summary>
public sealed record ConversationWithoutParent(long Id, string? Subject, DateTime? FirstMessageDate, string AccountAddress);
