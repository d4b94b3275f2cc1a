using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>Which conversation a message belongs to (formats section 2), and what a reply changes on it.</summary>
internal static class ConversationThreading
{
    /// <summary>Formats section 2: our own Message-IDs, In-Reply-To, then any References id; only within this account.</summary>
    public static async Task<LimeObject?> FindThreadAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var ids = context.Message.InReplyTo.Concat(context.Message.References.Reverse()).Where(id => id.Length > 0).Distinct().ToList();
        foreach (var id in ids)
        {
            // A reply to a notification we sent: its Message-ID is on a message follower.
            // Only the relations are read: a message's row holds its whole HTML.
            foreach (var sent in await session.FindAsync(c.MessageFollower.Limetype, c.MessageFollower.PropertyMessageId, id, 5, [c.MessageFollower.RelationConversationMessage], cancellationToken))
            {
                if (sent[c.MessageFollower.RelationConversationMessage] is long messageRecord
                    && await session.GetAsync(c.ConversationMessage.Limetype, messageRecord, [c.ConversationMessage.RelationConversation], cancellationToken) is { } notified
                    && await ConversationOfAsync(session, context, notified, cancellationToken) is { } viaNotification)
                {
                    return viaNotification;
                }
            }

            foreach (var earlier in await session.FindAsync(c.ConversationMessage.Limetype, c.ConversationMessage.PropertyEmailId, id, 5, [c.ConversationMessage.RelationConversation], cancellationToken))
            {
                if (await ConversationOfAsync(session, context, earlier, cancellationToken) is { } viaMessage)
                {
                    return viaMessage;
                }
            }
        }

        return null;
    }

    private static async Task<LimeObject?> ConversationOfAsync(ObjectSession session, IncomingContext context, LimeObject message, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        if (message[c.ConversationMessage.RelationConversation] is not long conversationId)
        {
            return null;
        }

        var conversation = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
        // Another shared mailbox's thread stays there; this account starts its own.
        return string.Equals(conversation?.Text(c.Conversation.PropertyAddress), context.AccountAddress, StringComparison.OrdinalIgnoreCase)
            ? conversation
            : null;
    }

    /// <summary>A reply into a known conversation: it becomes the reply target, and the earliest unread moves back if older.</summary>
    public static async Task UpdateConversationAsync(ObjectSession session, RuntimeConfiguration c, LimeObject conversation, Mail.IncomingMessage m, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>();
        if (m.MessageId is not null)
        {
            values[c.Conversation.PropertyReplyToId] = m.MessageId;
        }

        var earliest = conversation[c.Conversation.PropertyEarliestUnread] as DateTime?;
        if (earliest is null || m.Date.UtcDateTime < earliest)
        {
            values[c.Conversation.PropertyEarliestUnread] = m.Date;
        }

        if (values.Count > 0)
        {
            await session.UpdateAsync(c.Conversation.Limetype, conversation.Id, values, cancellationToken);
        }
    }
}
