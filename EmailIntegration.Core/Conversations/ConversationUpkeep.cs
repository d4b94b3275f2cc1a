using System.Globalization;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Conversations;

/// <summary>
/// What an agent's action does to a conversation and its parents besides the message itself, inside the
/// caller's transaction: the unread state, the agent's coworker record, Responsible and status.
/// </summary>
public static class ConversationUpkeep
{
    /// <summary>The property of a parent (ticket, deal) that names its responsible coworker.</summary>
    public const string ResponsibleProperty = "coworker";

    /// <summary>The option property of a parent that "Send and set status" sets.</summary>
    public const string StatusProperty = "status";

    /// <summary>
    /// Sets the read flag of one message (or, without one, of every incoming message) and recomputes the
    /// conversation's earliest unread date from what is left unread.
    /// </summary>
    public static async Task SetReadAsync(ObjectSession session, RuntimeConfiguration c, long conversationId, long? messageId, bool read, CancellationToken cancellationToken)
    {
        var messages = await session.QueryAsync(ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, c.ConversationMessage.PropertyDate), QueryContext.Anonymous, cancellationToken);
        DateTime? earliest = null;
        foreach (var row in messages)
        {
            var id = row.Id;
            var incoming = row.GetValueOrDefault("incoming") is not false;
            var unread = incoming && row.GetValueOrDefault("isread") is not true;
            if (incoming && (messageId is null || messageId == id) && unread == read)
            {
                await session.UpdateAsync(c.ConversationMessage.Limetype, id, new Dictionary<string, object?> { ["isread"] = read }, cancellationToken);
                unread = !read;
            }

            if (unread && row.GetValueOrDefault(c.ConversationMessage.PropertyDate) is DateTime date && (earliest is null || date < earliest))
            {
                earliest = date;
            }
        }

        var conversation = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
        if (conversation is not null && !Equals(conversation[c.Conversation.PropertyEarliestUnread], earliest))
        {
            await session.UpdateAsync(c.Conversation.Limetype, conversationId, new Dictionary<string, object?> { [c.Conversation.PropertyEarliestUnread] = earliest }, cancellationToken);
        }
    }

    /// <summary>
    /// The coworker record of a signed-in user (its <c>username</c> is the user's id, as <c>$me</c> reads it),
    /// created on the user's first action so "Mine" and Responsible work without an admin's setup.
    /// </summary>
    public static async Task<long?> CoworkerAsync(ObjectSession session, AgentIdentity agent, CancellationToken cancellationToken)
    {
        var coworkers = session.Schema.Find("coworker");
        if (coworkers?.Find("username") is null)
        {
            return null;
        }

        var found = await session.FindAsync("coworker", "username", agent.UserId, 1, cancellationToken);
        if (found.Count > 0)
        {
            return found[0].Id;
        }

        var values = new Dictionary<string, object?> { ["username"] = agent.UserId, ["name"] = agent.Name, ["email"] = agent.Email };
        return await session.CreateAsync("coworker", values.Where(v => coworkers.Find(v.Key) is not null).ToDictionary(), cancellationToken);
    }

    /// <summary>
    /// The conversation's parents: each gets the agent as Responsible when it has none, and the status when
    /// one is asked for and the parent has that option. Returns what was changed, for the caller to say.
    /// </summary>
    public static async Task<IReadOnlyList<string>> UpdateParentsAsync(
        ObjectSession session, RuntimeConfiguration c, LimeObject conversation, long? coworkerId, string? status, CancellationToken cancellationToken)
    {
        var changed = new List<string>();
        foreach (var (type, parentId) in Parents(session, c, conversation))
        {
            var parent = await session.GetAsync(type.Name, parentId, cancellationToken);
            if (parent is null)
            {
                continue;
            }

            var values = new Dictionary<string, object?>();
            if (coworkerId is not null && type.Find(ResponsibleProperty) is { Type: PropertyType.BelongsTo, RelatedLimetype: "coworker" } && parent[ResponsibleProperty] is null)
            {
                values[ResponsibleProperty] = coworkerId;
            }

            if (status is not null && type.Find(StatusProperty) is { Type: PropertyType.Option } statusProperty
                && statusProperty.Options.Any(o => o.Key == status) && !Equals(parent[StatusProperty], status))
            {
                values[StatusProperty] = status;
            }

            if (values.Count > 0)
            {
                await session.UpdateAsync(type.Name, parentId, values, cancellationToken);
                changed.Add($"{type.Label} {parentId}");
            }
        }

        return changed;
    }

    /// <summary>The records a conversation belongs to through the configured parent relations.</summary>
    public static IEnumerable<(Limetype Type, long Id)> Parents(ObjectSession session, RuntimeConfiguration c, LimeObject conversation)
    {
        foreach (var parent in c.ConversationParents.DistinctBy(p => p.Limetype))
        {
            var type = session.Schema.Find(parent.Limetype);
            if (type?.Find(parent.RelationConversation) is { Type: PropertyType.HasMany, InverseProperty: { } inverse }
                && conversation[inverse] is long parentId)
            {
                yield return (type, parentId);
            }
        }
    }

    public static LimeQuery ByRelation(string limetype, string key, long value, string order) => new(limetype)
    {
        Filter = Filter.Eq(key, value),
        Order = [new OrderBy(order)],
        Limit = 500,
    };
}
