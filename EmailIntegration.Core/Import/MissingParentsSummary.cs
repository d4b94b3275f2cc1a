namespace EmailIntegration.Core.Import;

/// <summary>How many conversations lack a parent, the newest of them, and the parent limetypes they lack.</summary>
public sealed record MissingParentsSummary(long Count, IReadOnlyList<ConversationWithoutParent> Newest, IReadOnlyList<string> Limetypes);
