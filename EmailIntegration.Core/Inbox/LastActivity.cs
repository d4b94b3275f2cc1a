using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using EmailIntegration.Core.Crm;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// "Last activity": the time of the newest message, incoming or outgoing, kept as a stored and
/// indexed time property named <c>lastactivity</c> on the conversation and on every record related
/// to a conversation that has one (the default schema's tickets and deals), so a list sorts by it
/// from its index. The import and replies move it forward in the transaction that adds the
/// message; it never moves back (a late message with an old date leaves it).
/// </summary>
public static class LastActivity
{
    public const string Property = "lastactivity";

    /// <summary>Whether a limetype keeps a last activity: it has a time property of that name.</summary>
    public static bool IsKept(Limetype limetype) => limetype.Find(Property) is { Type: PropertyType.Time };

    /// <summary>Moves the conversation's last activity, and that of the records related to it, forward to <paramref name="when"/>.</summary>
    internal static async Task TouchAsync(ObjectSession session, string conversationLimetype, long conversationId, DateTime when, CancellationToken cancellationToken)
    {
        var parameters = new (string, object?)[] { ("@c", conversationId), ("@t", SqlDialect.FormatTime(when)) };
        foreach (var sql in StatementsFor(session.Schema, conversationLimetype).Touch)
        {
            await session.ExecuteAsync(sql, parameters, cancellationToken);
        }
    }

    /// <summary>
    /// Fills the last activity where it is empty from the messages already stored (the upgrade of a
    /// database that had none); a message dated in the future counts as received at <paramref name="now"/>.
    /// </summary>
    internal static async Task<int> BackfillAsync(ObjectSession session, RuntimeConfiguration c, DateTime now, CancellationToken cancellationToken)
    {
        var messages = session.Schema.Find(c.ConversationMessage.Limetype);
        if (session.Schema.Find(c.Conversation.Limetype) is null || messages?.Find(c.ConversationMessage.RelationConversation) is not { Type: PropertyType.BelongsTo } toConversation
            || messages.Find(c.ConversationMessage.PropertyDate) is not { Type: PropertyType.Time } date)
        {
            return 0;
        }

        // The newest message date of the conversation whose id the placeholder stands for.
        string Newest(string conversationId) =>
            $"(SELECT MIN(MAX(m.{SqlDialect.Quote(date.Column!)}), @now) FROM {SqlDialect.Quote(messages.Table)} m " +
            $"WHERE m.{SqlDialect.Quote(toConversation.Column!)} = {conversationId})";
        var updated = 0;
        foreach (var target in StatementsFor(session.Schema, c.Conversation.Limetype).Targets)
        {
            var table = SqlDialect.Quote(target.Table);
            var value = target.Kind switch
            {
                TargetKind.Conversation => Newest($"{table}.\"id\""),
                TargetKind.Owner => $"(SELECT MAX({Newest("c.\"id\"")}) FROM {SqlDialect.Quote(CrmSchema.TableName(c.Conversation.Limetype))} c " +
                                    $"WHERE c.{SqlDialect.Quote(target.Column!)} = {table}.\"id\")",
                _ => Newest($"{table}.{SqlDialect.Quote(target.Column!)}"),
            };
            updated += await session.ExecuteAsync(
                $"UPDATE {table} SET {SqlDialect.Quote(Property)} = {value} WHERE {SqlDialect.Quote(Property)} IS NULL",
                [("@now", SqlDialect.FormatTime(now))], cancellationToken);
        }

        return updated;
    }

    private enum TargetKind
    {
        /// <summary>The conversation itself.</summary>
        Conversation,

        /// <summary>A record the conversation belongs to (a ticket): the conversation's column points to it.</summary>
        Owner,

        /// <summary>A record that points to the conversation with a column of its own.</summary>
        Pointer,
    }

    private sealed record Target(TargetKind Kind, string Table, string? Column);

    private sealed record Statements(IReadOnlyList<Target> Targets, IReadOnlyList<string> Touch);

    private static readonly ConditionalWeakTable<CrmSchema, ConcurrentDictionary<string, Statements>> Cache = new();

    private static Statements StatementsFor(CrmSchema schema, string conversationLimetype) =>
        Cache.GetValue(schema, _ => new ConcurrentDictionary<string, Statements>(StringComparer.Ordinal))
            .GetOrAdd(conversationLimetype, name => Build(schema, name));

    private static Statements Build(CrmSchema schema, string conversationLimetype)
    {
        var targets = new List<Target>();
        if (schema.Find(conversationLimetype) is not { } conversation)
        {
            return new Statements(targets, []);
        }

        if (IsKept(conversation))
        {
            targets.Add(new Target(TargetKind.Conversation, conversation.Table, null));
        }

        foreach (var relation in conversation.Ordered.Where(p => p.RelatedLimetype != conversation.Name && schema.Find(p.RelatedLimetype ?? "") is { } other && IsKept(other)))
        {
            var other = schema.Get(relation.RelatedLimetype!);
            if (relation.Type == PropertyType.BelongsTo)
            {
                targets.Add(new Target(TargetKind.Owner, other.Table, relation.Column));
            }
            else if (relation.Type == PropertyType.HasMany && other.Find(relation.InverseProperty!) is { Type: PropertyType.BelongsTo } pointer)
            {
                targets.Add(new Target(TargetKind.Pointer, other.Table, pointer.Column));
            }
        }

        var column = SqlDialect.Quote(Property);
        var later = $"({column} IS NULL OR {column} < @t)";
        var touch = targets.Select(t => t.Kind switch
        {
            TargetKind.Conversation => $"UPDATE {SqlDialect.Quote(t.Table)} SET {column} = @t WHERE \"id\" = @c AND {later}",
            TargetKind.Owner => $"UPDATE {SqlDialect.Quote(t.Table)} SET {column} = @t WHERE \"id\" = " +
                                $"(SELECT {SqlDialect.Quote(t.Column!)} FROM {SqlDialect.Quote(conversation.Table)} WHERE \"id\" = @c) AND {later}",
            _ => $"UPDATE {SqlDialect.Quote(t.Table)} SET {column} = @t WHERE {SqlDialect.Quote(t.Column!)} = @c AND {later}",
        }).ToList();
        return new Statements(targets, touch);
    }
}
