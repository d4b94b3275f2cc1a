using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Inbox;

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
