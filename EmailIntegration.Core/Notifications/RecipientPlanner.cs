using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Notifications;

/// <summary>Who gets an email about an event and which template it uses; <see cref="Outcome"/> says why nobody does.</summary>
internal sealed record RecipientPlan(TemplateKind Kind, List<FollowerRow> Audience, List<string> Notes, string? Outcome);

/// <summary>
/// Chooses the recipients of an event. New conversation: an auto-reply to every follower. Later
/// messages: a notification to every active, subscribed follower except the author. An agent's reply:
/// the followers the agent chose. Never to the shared addresses, and capped per address and time window.
/// </summary>
internal sealed class RecipientPlanner(OutboxOptions options, TimeProvider clock)
{
    public async Task<RecipientPlan> PlanAsync(
        ObjectSession session, RuntimeConfiguration c, NotificationEvent ev, NotificationConversation conversation, LimeObject message,
        Participant author, IReadOnlySet<string> own, CancellationToken cancellationToken)
    {
        var isFirst = await conversation.StartsWithAsync(session, ev.MessageRecordId, cancellationToken);
        if (ev.Kind == NotificationEventKind.Incoming && !isFirst)
        {
            await FollowResponsibleAsync(session, c, conversation, cancellationToken);
        }

        var followers = conversation.Followers;
        TemplateKind kind;
        List<FollowerRow> audience;
        var notes = new List<string>();
        if (ev.Kind == NotificationEventKind.AgentReply)
        {
            kind = TemplateKind.Notification;
            var chosen = (ev.Recipients ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            audience = followers.Where(f => chosen.Contains(f.Address)).ToList();
        }
        else
        {
            kind = isFirst ? TemplateKind.AutoReply : TemplateKind.Notification;
            // An auto-reply confirms receipt to the customer's side; staff who follow already are not "customers".
            audience = followers.Where(f => f.Active && f.Subscribed && !(isFirst && f.Level == ConversationService.AgentLevel)).ToList();
            if (!isFirst)
            {
                // The author knows what they wrote.
                audience.RemoveAll(f => string.Equals(f.Address, author.Address, StringComparison.OrdinalIgnoreCase));
            }
        }

        // The hub never writes to itself: a shared address as a follower would start a loop.
        audience.RemoveAll(f => own.Contains(f.Address));
        var messageDate = message[c.ConversationMessage.PropertyDate] as DateTime?;
        if (kind == TemplateKind.AutoReply && messageDate is { } received && clock.GetUtcNow().UtcDateTime - received > options.AutoReplyMaxAge)
        {
            return new RecipientPlan(kind, [], notes,
                $"No auto-replies: the message is from {received:yyyy-MM-dd HH:mm} UTC, older than {options.AutoReplyMaxAge.TotalHours:0} hours (a backlog or a late retry).");
        }

        if (kind == TemplateKind.AutoReply)
        {
            await CapAsync(session, audience, OutboxKind.AutoReply, null, options.AutoReplyLimit, notes,
                (address, recent) => $"No auto-reply to {address}: {recent} already in the last {options.AutoReplyWindow.TotalMinutes:0} minutes.", cancellationToken);
        }
        else if (ev.Kind == NotificationEventKind.Incoming)
        {
            await CapAsync(session, audience, OutboxKind.Notification, ev.ConversationId, options.NotificationLimit, notes,
                (address, recent) => $"No notification to {address}: {recent} about this conversation in the last {options.AutoReplyWindow.TotalMinutes:0} minutes (a loop of auto-responders?).", cancellationToken);
        }

        var outcome = audience.Count > 0 ? null : notes.Count > 0 ? string.Join(" ", notes) : "Nobody to notify.";
        return new RecipientPlan(kind, audience, notes, outcome);
    }

    /// <summary>
    /// Drops the followers who already got <paramref name="limit"/> emails of this kind (about this
    /// conversation, when given) within the window, and notes why.
    /// </summary>
    private async Task CapAsync(
        ObjectSession session, List<FollowerRow> audience, OutboxKind kind, long? conversationId, int limit, List<string> notes,
        Func<string, int, string> reason, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime - options.AutoReplyWindow;
        foreach (var follower in audience.ToList())
        {
            var address = follower.Address.ToLowerInvariant();
            var recent = await session.Records<OutboxRecipient>()
                .Join(session.Records<OutboxMessage>(), r => r.OutboxMessageId, o => o.Id, (r, o) => new { r.Address, o.Kind, o.ConversationId, o.CreatedUtc })
                .CountAsync(x => x.Address == address && x.Kind == kind && (conversationId == null || x.ConversationId == conversationId) && x.CreatedUtc >= since, cancellationToken);
            if (recent >= limit)
            {
                audience.Remove(follower);
                notes.Add(reason(follower.Address, recent));
            }
        }
    }

    /// <summary>
    /// The Responsible of the conversation's parents hears what the customer answers: one who does not
    /// follow yet becomes an agent follower, so the chips show it and they can stop it there.
    /// </summary>
    private static async Task FollowResponsibleAsync(ObjectSession session, RuntimeConfiguration c, NotificationConversation conversation, CancellationToken cancellationToken)
    {
        var followers = conversation.Followers;
        var followerType = session.Schema.Get(c.Follower.Limetype);
        foreach (var (type, parentId) in ConversationUpkeep.Parents(session, c, conversation.Record))
        {
            var parent = await session.GetAsync(type.Name, parentId, cancellationToken);
            if (parent?[ConversationUpkeep.ResponsibleProperty] is not long coworkerId || type.Find(ConversationUpkeep.ResponsibleProperty)?.RelatedLimetype != "coworker"
                || await session.GetAsync("coworker", coworkerId, cancellationToken) is not { } coworker
                || coworker.Text("email") is not { Length: > 0 } address
                || followers.Any(f => string.Equals(f.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var values = new Dictionary<string, object?>
            {
                [c.Follower.PropertyName] = coworker.Text("name") ?? address,
                [c.Follower.PropertyAddress] = address,
                [c.Follower.PropertyParticipationLevel] = ConversationService.AgentLevel,
                [c.Follower.PropertyActive] = true,
                [c.Follower.PropertySubscribed] = true,
                [c.Follower.RelationConversation] = conversation.Id,
                ["coworker"] = coworkerId,
            };
            var id = await session.CreateAsync(c.Follower.Limetype, values.Where(v => followerType.Find(v.Key) is not null).ToDictionary(), cancellationToken);
            followers.Add(new FollowerRow(id, address, coworker.Text("name"), ConversationService.AgentLevel, true, true));
        }
    }
}
