using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Inbox;

/// <summary>The text of one message that "Search all mail" finds it by.</summary>
public sealed record MailSearchText(string? Subject, string? Body, string? FromName, string? FromAddress, IReadOnlyList<string> FileNames)
{
    /// <summary>A body is indexed up to here (the size of the longest field the product takes), so one huge mail cannot hold a transaction.</summary>
    public const int MaxBodyLength = 200_000;
}

/// <summary>
/// The full-text index of conversation messages, written in the transaction that stores the
/// message, so a committed message is searchable at once.
/// </summary>
public interface IMailSearchIndex
{
    Task AddAsync(ObjectSession session, long messageId, long conversationId, MailSearchText text, CancellationToken cancellationToken);
}

/// <summary>The index in SQLite's FTS5 (see <see cref="MailSearchSql"/>).</summary>
public sealed class SqliteMailSearchIndex : IMailSearchIndex
{
    public Task AddAsync(ObjectSession session, long messageId, long conversationId, MailSearchText text, CancellationToken cancellationToken)
    {
        var body = text.Body is { Length: > MailSearchText.MaxBodyLength } whole ? whole[..MailSearchText.MaxBodyLength] : text.Body;
        return session.ExecuteAsync(MailSearchSql.Insert,
        [
            ("@id", messageId),
            ("@conversation", conversationId),
            ("@subject", text.Subject),
            ("@body", body),
            ("@sender", string.Join(' ', new[] { text.FromName, text.FromAddress }.Where(s => !string.IsNullOrWhiteSpace(s)))),
            ("@files", string.Join('\n', text.FileNames)),
        ], cancellationToken);
    }
}
