using System.Globalization;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Conversations;

/// <summary>
/// Conversations as people read them: the messages of a record's conversations in order, with
/// sanitized HTML, attachments and followers; and marking them read, which keeps
/// <c>earliestunread</c> right.
/// </summary>
public sealed class ConversationService(ObjectStore store, SettingsStore settings, Storage.IFileStore files)
{
    /// <summary>The participation level of staff who follow a conversation (they replied, or chose to follow).</summary>
    public const string AgentLevel = "agent";

    /// <summary>A conversation message written as an internal note: shown to staff, never emailed.</summary>
    public const string InternalNoteProperty = "internalnote";

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

            conversationIds = (await session.QueryAsync(ConversationUpkeep.ByRelation(c.Conversation.Limetype, inverse, id, CrmSchema.CreatedKey), QueryContext.Anonymous, cancellationToken))
                .Select(r => r.Id).ToList();
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
            foreach (var row in await session.QueryAsync(ConversationUpkeep.ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, c.ConversationMessage.PropertyDate), QueryContext.Anonymous, cancellationToken))
            {
                var messageId = row.Id;
                var documents = await session.QueryAsync(ConversationUpkeep.ByRelation(c.Document.Limetype, c.Document.RelationConversationMessage, messageId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
                var emails = documents.Where(d => d.GetValueOrDefault(c.Document.PropertyType) as string == Import.RecordImporter.EmailDocumentType).ToList();
                documents = documents.Except(emails).ToList();
                var attached = new List<ThreadAttachedMessage>();
                foreach (var email in emails)
                {
                    attached.Add(await AttachedMessageAsync(c, email, cancellationToken));
                }

                messages.Add(new ThreadMessage(
                    messageId, row.GetValueOrDefault("fromaddress") as string, row.GetValueOrDefault("fromname") as string,
                    row.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?,
                    MessageHtml.Sanitize(row.GetValueOrDefault(c.ConversationMessage.PropertyMessage) as string ?? "", allowRemoteImages),
                    row.GetValueOrDefault("isread") is true, row.GetValueOrDefault("incoming") is not false, row.GetValueOrDefault("automatic") is true,
                    documents.Select(d => new ThreadAttachment(d.Id, d.GetValueOrDefault(c.Document.PropertyComment) as string ?? "attachment")).ToList(),
                    row.GetValueOrDefault(InternalNoteProperty) is true, attached, row.GetValueOrDefault("signed") is true));
            }

            var followers = (await session.QueryAsync(ConversationUpkeep.ByRelation(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken))
                .Select(f => new ThreadFollower(f.Id, f.GetValueOrDefault(c.Follower.PropertyName) as string, f.GetValueOrDefault(c.Follower.PropertyAddress) as string,
                    f.GetValueOrDefault(c.Follower.PropertyParticipationLevel) as string, f.GetValueOrDefault(c.Follower.PropertyActive) is true,
                    f.GetValueOrDefault(c.Follower.PropertySubscribed) is true))
                .ToList();
            threads.Add(new ConversationThread(conversationId, conversation.Text(c.Conversation.PropertySubject),
                conversation[c.Conversation.PropertyEarliestUnread] as DateTime?, messages, followers,
                conversation.Text(c.Conversation.PropertyAddress)));
        }

        return threads;
    }

    /// <summary>An attached email's document, read from the file store for the thread; a missing or unreadable file is offered as a download only.</summary>
    private async Task<ThreadAttachedMessage> AttachedMessageAsync(RuntimeConfiguration c, LimeRow document, CancellationToken cancellationToken)
    {
        var id = document.Id;
        var name = document.GetValueOrDefault(c.Document.PropertyComment) as string ?? "Attached message.eml";
        var download = $"/files/{c.Document.Limetype}/{id}";
        AttachedMessage? message = null;
        if (document.GetValueOrDefault(c.Document.PropertyDocument) is string { Length: > 0 } key)
        {
            try
            {
                await using var stream = await files.OpenAsync(key, cancellationToken);
                message = stream is null ? null : await AttachedMessages.ReadAsync(stream, PartUrl(id), cancellationToken);
            }
            catch (Storage.InvalidFileKeyException)
            {
                message = null;
            }
        }

        return new ThreadAttachedMessage(id, name, message, download, PartUrl(id));
    }

    /// <summary>Where the files inside an attached email's document are served (the App's endpoint), ending in '/'.</summary>
    public static string PartUrl(long documentId) => $"/attached-files/{documentId}/";

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
    public Task MarkReadAsync(long conversationId, long? messageId, string? actor, CancellationToken cancellationToken = default) =>
        SetReadAsync(conversationId, messageId, read: true, actor, cancellationToken);

    /// <summary>Marks one incoming message unread again, so the ticket shows as needing attention.</summary>
    public Task MarkUnreadAsync(long conversationId, long messageId, string? actor, CancellationToken cancellationToken = default) =>
        SetReadAsync(conversationId, messageId, read: false, actor, cancellationToken);

    private async Task SetReadAsync(long conversationId, long? messageId, bool read, string? actor, CancellationToken cancellationToken)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenAsync(actor, cancellationToken);
        await ConversationUpkeep.SetReadAsync(session, c, conversationId, messageId, read, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Changes a follower from its chip: <paramref name="active"/> false takes them out of the conversation
    /// (no more emails, not listed as a recipient), <paramref name="subscribed"/> false keeps them in it
    /// without notifications. Null leaves a flag as it is.
    /// </summary>
    public async Task SetFollowerAsync(long followerId, bool? active, bool? subscribed, string? actor, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        var values = new Dictionary<string, object?>();
        if (active is { } a)
        {
            values[c.Follower.PropertyActive] = a;
        }

        if (subscribed is { } s)
        {
            values[c.Follower.PropertySubscribed] = s;
        }

        if (values.Count == 0)
        {
            return;
        }

        await using var session = await store.OpenAsync(actor, cancellationToken);
        await session.UpdateAsync(c.Follower.Limetype, followerId, values, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The agent follows the conversation: notified by email of what customers write in it. An existing
    /// follower with the agent's address is taken back in and subscribed; otherwise one is added.
    /// </summary>
    public async Task FollowAsync(long conversationId, AgentIdentity agent, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(agent.Email))
        {
            throw new CrmException("Your user has no email address to notify; an administrator can add one under Settings › Users.");
        }

        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenAsync(agent.Email, cancellationToken);
        var followers = await session.QueryAsync(ConversationUpkeep.ByRelation(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
        var existing = followers.FirstOrDefault(f => string.Equals(f.GetValueOrDefault(c.Follower.PropertyAddress) as string, agent.Email, StringComparison.OrdinalIgnoreCase));
        if (existing is not null)
        {
            await session.UpdateAsync(c.Follower.Limetype, existing.Id, new Dictionary<string, object?> { [c.Follower.PropertyActive] = true, [c.Follower.PropertySubscribed] = true }, cancellationToken);
        }
        else
        {
            var followerType = session.Schema.Get(c.Follower.Limetype);
            var coworker = await ConversationUpkeep.CoworkerAsync(session, agent, cancellationToken);
            var values = new Dictionary<string, object?>
            {
                [c.Follower.PropertyName] = agent.Name,
                [c.Follower.PropertyAddress] = agent.Email,
                [c.Follower.PropertyParticipationLevel] = AgentLevel,
                [c.Follower.PropertyActive] = true,
                [c.Follower.PropertySubscribed] = true,
                [c.Follower.RelationConversation] = conversationId,
                ["coworker"] = coworker,
            };
            await session.CreateAsync(c.Follower.Limetype, values.Where(v => followerType.Find(v.Key) is not null).ToDictionary(), cancellationToken);
        }

        await session.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Whether a newly imported message is a customer's answer that this agent should hear of now: they follow
    /// its conversation as staff, or are Responsible for a parent. Gives what to show and where it lives.
    /// </summary>
    public async Task<AgentNotice?> NoticeForAsync(long messageId, AgentIdentity agent, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        await using var session = await store.OpenReadAsync(cancellationToken);
        if (session.Schema.Find(c.ConversationMessage.Limetype) is null
            || await session.GetAsync(c.ConversationMessage.Limetype, messageId, cancellationToken) is not { } message
            || message["incoming"] is false || message["automatic"] is true || message[InternalNoteProperty] is true
            || message[c.ConversationMessage.RelationConversation] is not long conversationId
            || await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken) is not { } conversation)
        {
            return null;
        }

        var parents = ConversationUpkeep.Parents(session, c, conversation).ToList();
        var follows = agent.Email is not null && (await session.QueryAsync(ConversationUpkeep.ByRelation(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken))
            .Any(f => string.Equals(f.GetValueOrDefault(c.Follower.PropertyAddress) as string, agent.Email, StringComparison.OrdinalIgnoreCase)
                && f.GetValueOrDefault(c.Follower.PropertyActive) is true && f.GetValueOrDefault(c.Follower.PropertyParticipationLevel) as string == AgentLevel);
        var responsible = false;
        foreach (var (type, parentId) in parents)
        {
            if (await session.GetAsync(type.Name, parentId, cancellationToken) is { } parent && parent[ConversationUpkeep.ResponsibleProperty] is long coworkerId
                && await session.GetAsync("coworker", coworkerId, cancellationToken) is { } coworker && coworker.Text("username") == agent.UserId)
            {
                responsible = true;
            }
        }

        if (!follows && !responsible)
        {
            return null;
        }

        var (limetype, id) = parents.Count > 0 ? (parents[0].Type.Name, parents[0].Id) : (c.Conversation.Limetype, conversationId);
        return new AgentNotice(message.Text("fromname") ?? message.Text("fromaddress") ?? "A customer",
            conversation.Text(c.Conversation.PropertySubject) ?? "(no subject)", $"/objects/{limetype}/{id}");
    }
}
