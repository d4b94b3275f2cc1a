using EmailIntegration.Core.Crm;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// The data half of the migration that added last activity and the search index: a database that
/// had messages before gets both from them, once, in one transaction. The migration leaves a row in
/// <c>PendingBackfills</c>; the start-up step runs this after the default schema is in place
/// (the limetype tables are not the migrations' to touch) and removes the row in the same transaction.
/// </summary>
public sealed class InboxBackfill(ObjectStore store, SettingsStore settings, IMailSearchIndex index, TimeProvider clock, ILogger<InboxBackfill> logger)
{
    public const string Name = "inbox";

    private const int Page = 1000;

    public async Task RunIfPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var session = await store.OpenAsync("upgrade", cancellationToken);
        if ((await session.ReadAsync("SELECT 1 FROM \"PendingBackfills\" WHERE \"Name\" = @name", [("@name", Name)], cancellationToken)).Count == 0)
        {
            return;
        }

        var c = await settings.GetRuntimeAsync(cancellationToken);
        var records = await LastActivity.BackfillAsync(session, c, clock.GetUtcNow().UtcDateTime, cancellationToken);
        var messages = await IndexMessagesAsync(session, c, cancellationToken);
        await session.ExecuteAsync("DELETE FROM \"PendingBackfills\" WHERE \"Name\" = @name", [("@name", Name)], cancellationToken);
        await session.CommitAsync(cancellationToken);
        if (records + messages > 0)
        {
            logger.LogInformation("Last activity set on {Records} records and {Messages} messages added to the search index", records, messages);
        }
    }

    /// <summary>Every stored message into the index, a page at a time in id order, with its attachments' file names.</summary>
    private async Task<int> IndexMessagesAsync(ObjectSession session, RuntimeConfiguration c, CancellationToken cancellationToken)
    {
        if (session.Schema.Find(c.ConversationMessage.Limetype) is not { } messages
            || messages.Find(c.ConversationMessage.RelationConversation) is not { Type: PropertyType.BelongsTo } toConversation)
        {
            return 0;
        }

        string Column(Limetype type, string property) =>
            type.Find(property) is { Type: PropertyType.Text } p ? "m." + SqlDialect.Quote(p.Column!) : "NULL";

        var files = "NULL";
        if (session.Schema.Find(c.Document.Limetype) is { } documents
            && documents.Find(c.Document.RelationConversationMessage) is { Type: PropertyType.BelongsTo } toMessage
            && documents.Find(c.Document.PropertyComment) is { Type: PropertyType.Text } name)
        {
            files = $"(SELECT group_concat(d.{SqlDialect.Quote(name.Column!)}, char(10)) FROM {SqlDialect.Quote(documents.Table)} d " +
                    $"WHERE d.{SqlDialect.Quote(toMessage.Column!)} = m.\"id\")";
        }

        var sql = $"SELECT m.\"id\", m.{SqlDialect.Quote(toConversation.Column!)}, {Column(messages, "subject")}, {Column(messages, c.ConversationMessage.PropertyMessage)}, " +
                  $"{Column(messages, "fromname")}, {Column(messages, "fromaddress")}, {files} " +
                  $"FROM {SqlDialect.Quote(messages.Table)} m WHERE m.\"id\" > @after AND m.{SqlDialect.Quote(toConversation.Column!)} IS NOT NULL " +
                  $"ORDER BY m.\"id\" LIMIT {Page}";
        long after = 0;
        var count = 0;
        while (true)
        {
            var rows = await session.ReadAsync(sql, [("@after", after)], cancellationToken);
            foreach (var row in rows)
            {
                after = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
                var conversation = Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture);
                var fileNames = row[6] is string names ? names.Split('\n') : [];
                await index.AddAsync(session, after, conversation,
                    new MailSearchText(row[2] as string, InboxRecorder.BodyText(row[3] as string), row[4] as string, row[5] as string, fileNames), cancellationToken);
            }

            // The index rows of this page now: the whole backfill is one transaction, and its rows must not wait in memory for its commit.
            await session.RunDeferredAsync(cancellationToken);
            count += rows.Count;
            if (rows.Count < Page)
            {
                return count;
            }
        }
    }
}
