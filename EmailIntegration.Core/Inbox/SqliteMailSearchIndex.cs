using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// The index in SQLite's FTS5 (see <see cref="MailSearchSql"/>). A message's row is written when its
/// transaction commits, with the others of the batch, not inside the message's savepoint: FTS5 writes
/// its pending rows to disk at every savepoint, so a batch of 100 would otherwise write 100 small index
/// segments and merge them again.
/// </summary>
public sealed class SqliteMailSearchIndex : IMailSearchIndex
{
    public Task AddAsync(ObjectSession session, long messageId, long conversationId, MailSearchText text, CancellationToken cancellationToken)
    {
        var body = text.Body is { Length: > MailSearchText.MaxBodyLength } whole ? whole[..MailSearchText.MaxBodyLength] : text.Body;
        session.ExecuteAtCommit(MailSearchSql.Insert,
        [
            ("@id", messageId),
            ("@conversation", conversationId),
            ("@subject", text.Subject),
            ("@body", body),
            ("@sender", string.Join(' ', new[] { text.FromName, text.FromAddress }.Where(s => !string.IsNullOrWhiteSpace(s)))),
            ("@files", string.Join('\n', text.FileNames)),
        ]);
        return Task.CompletedTask;
    }
}
