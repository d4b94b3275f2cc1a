using System.Globalization;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Configuration;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Conversations;

public sealed record ThreadAttachment(long DocumentId, string Name);

public sealed record ThreadMessage(
    long Id, string? FromAddress, string? FromName, DateTime? Date, SafeHtml Body, bool IsRead, bool Incoming, bool Automatic,
    IReadOnlyList<ThreadAttachment> Attachments);

public sealed record ThreadFollower(long Id, string? Name, string? Address, string? Level, bool Active, bool Subscribed);

public sealed record ConversationThread(
    long Id, string? Subject, DateTime? EarliestUnread, IReadOnlyList<ThreadMessage> Messages, IReadOnlyList<ThreadFollower> Followers, string? AccountAddress = null);

/// <summary>
/// Conversations as people read them: the messages of a record's conversations in order, with
/// sanitized HTML, attachments and followers; and marking them read, which keeps
/// <c>earliestunread</c> right.
/// </summary>
public sealed class ConversationService(ObjectStore store, SettingsStore settings)
{
    public async Task<IReadOnlyList<ConversationThread>> ThreadsForAsync(string limetype, long id, bool allowRemoteImages = false, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenReadAsync(cancellationToken);
        var conversationType = session.Schema.Find(c.Conversation.Limetype);
        var owner = session.Schema.Find(limetype);
        if (conversationType is null || owner is null)
        {
            return [];
        }

        List<long> conversationIds;
        if (limetype == c.Conversation.Limetype)
        {
            conversationIds = [id];
        }
        else
        {
            var relation = owner.Ordered.FirstOrDefault(p => p.Type == PropertyType.HasMany && p.RelatedLimetype == c.Conversation.Limetype);
            if (relation?.InverseProperty is not { } inverse)
            {
                return [];
            }

            conversationIds = (await session.QueryAsync(Query(c.Conversation.Limetype, inverse, id, CrmSchema.CreatedKey), QueryContext.Anonymous, cancellationToken))
                .Select(r => Id(r)).ToList();
        }

        var threads = new List<ConversationThread>();
        foreach (var conversationId in conversationIds)
        {
            var conversation = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
            if (conversation is null)
            {
                continue;
            }

            var messages = new List<ThreadMessage>();
            foreach (var row in await session.QueryAsync(Query(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, c.ConversationMessage.PropertyDate), QueryContext.Anonymous, cancellationToken))
            {
                var messageId = Id(row);
                var documents = await session.QueryAsync(Query(c.Document.Limetype, c.Document.RelationConversationMessage, messageId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
                messages.Add(new ThreadMessage(
                    messageId, row.GetValueOrDefault("fromaddress") as string, row.GetValueOrDefault("fromname") as string,
                    row.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?,
                    MessageHtml.Sanitize(row.GetValueOrDefault(c.ConversationMessage.PropertyMessage) as string ?? "", allowRemoteImages),
                    row.GetValueOrDefault("isread") is true, row.GetValueOrDefault("incoming") is not false, row.GetValueOrDefault("automatic") is true,
                    documents.Select(d => new ThreadAttachment(Id(d), d.GetValueOrDefault(c.Document.PropertyComment) as string ?? "attachment")).ToList()));
            }

            var followers = (await session.QueryAsync(Query(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken))
                .Select(f => new ThreadFollower(Id(f), f.GetValueOrDefault(c.Follower.PropertyName) as string, f.GetValueOrDefault(c.Follower.PropertyAddress) as string,
                    f.GetValueOrDefault(c.Follower.PropertyParticipationLevel) as string, f.GetValueOrDefault(c.Follower.PropertyActive) is true,
                    f.GetValueOrDefault(c.Follower.PropertySubscribed) is true))
                .ToList();
            threads.Add(new ConversationThread(conversationId, conversation.Text(c.Conversation.PropertySubject),
                conversation[c.Conversation.PropertyEarliestUnread] as DateTime?, messages, followers,
                conversation.Text(c.Conversation.PropertyAddress)));
        }

        return threads;
    }

    /// <summary>
    /// One message's body, sanitized; with <paramref name="allowRemoteImages"/> its http(s) images stay, for a
    /// frame of its own whose policy allows them. Null when there is no such message.
    /// </summary>
    public async Task<SafeHtml?> MessageBodyAsync(long messageId, bool allowRemoteImages, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenReadAsync(cancellationToken);
        if (session.Schema.Find(c.ConversationMessage.Limetype) is null)
        {
            return null;
        }

        var message = await session.GetAsync(c.ConversationMessage.Limetype, messageId, cancellationToken);
        return message is null ? null : MessageHtml.Sanitize(message.Text(c.ConversationMessage.PropertyMessage) ?? "", allowRemoteImages);
    }

    /// <summary>Marks one message (or, without one, the whole conversation) read and recomputes the earliest unread date.</summary>
    public async Task MarkReadAsync(long conversationId, long? messageId, string? actor, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenAsync(actor, cancellationToken);
        var messages = await session.QueryAsync(Query(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, c.ConversationMessage.PropertyDate), QueryContext.Anonymous, cancellationToken);
        DateTime? earliest = null;
        foreach (var row in messages)
        {
            var id = Id(row);
            var unread = row.GetValueOrDefault("isread") is not true && row.GetValueOrDefault("incoming") is not false;
            if (unread && (messageId is null || messageId == id))
            {
                await session.UpdateAsync(c.ConversationMessage.Limetype, id, new Dictionary<string, object?> { ["isread"] = true }, cancellationToken);
                unread = false;
            }

            if (unread && row.GetValueOrDefault(c.ConversationMessage.PropertyDate) is DateTime date && (earliest is null || date < earliest))
            {
                earliest = date;
            }
        }

        await session.UpdateAsync(c.Conversation.Limetype, conversationId, new Dictionary<string, object?> { [c.Conversation.PropertyEarliestUnread] = earliest }, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private static LimeQuery Query(string limetype, string key, long value, string order) => new(limetype)
    {
        Filter = new JsonObject { ["key"] = key, ["op"] = "=", ["exp"] = value },
        Order = [new OrderBy(order)],
        Limit = 500,
    };

    private static long Id(IReadOnlyDictionary<string, object?> row) => Convert.ToInt64(row[CrmSchema.IdKey], CultureInfo.InvariantCulture);
}
