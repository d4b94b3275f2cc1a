namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// Objects reached from the root along <paramref name="Path"/> (relations to the conversations, e.g.
/// <c>conversation</c> on a ticket) to a conversation with a message whose indexed text matches
/// <paramref name="Expression"/>, an expression of the full-text index built by <c>MailSearchQuery</c>.
/// </summary>
public sealed record MessageMatch(string Path, string Expression);
