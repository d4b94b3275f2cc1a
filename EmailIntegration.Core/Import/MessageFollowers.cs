using System.Globalization;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Import;

/// <summary>Followers of a conversation and message followers of a message, linked to the persons and coworkers their addresses match.</summary>
internal static class MessageFollowers
{
    /// <summary>
    /// The message's participants (sender, To, Cc; not the shared mailboxes) as followers of the
    /// conversation, new or found, each with a message follower for this message.
    /// </summary>
    public static async Task AddAsync(
        ObjectSession session, IncomingContext context, long conversationId, bool isNewConversation, long messageId, List<string> notes, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var m = context.Message;
        var participants = new List<(Mail.MessageAddress Address, string Level)>();
        if (m.From is not null)
        {
            participants.Add((m.From, "from"));
        }

        participants.AddRange(m.To.Select(a => (a, "to")));
        participants.AddRange(m.Cc.Select(a => (a, "cc")));

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // The shared mailboxes themselves are the hub, never followers.
        participants = participants.Where(p => seen.Add(p.Address.Address) && !context.OwnAddresses.Contains(p.Address.Address)).ToList();
        if (participants.Count == 0)
        {
            return;
        }

        // One lookup for all participants: a conversation created just now has no followers yet.
        var existing = isNewConversation
            ? new Dictionary<string, List<LimeRow>>(TextKey.Comparer)
            : await RowLookup.FindAsync(session, c.Follower.Limetype, c.Follower.PropertyAddress, participants.Select(p => p.Address.Address), [],
                Filter.Eq(c.Follower.RelationConversation, conversationId), cancellationToken);

        // Persons and coworkers of the new followers, one lookup per limetype, most recently updated first.
        var newAddresses = participants.Select(p => p.Address.Address).Where(a => !existing.ContainsKey(a)).ToList();
        var matchesByParent = new List<Dictionary<string, List<LimeRow>>>();
        var cache = FollowerParentCache.Of(session);
        foreach (var parent in c.FollowerParents)
        {
            matchesByParent.Add(await cache.MatchesAsync(session, parent, newAddresses, cancellationToken));
        }

        var followerType = session.Schema.Get(c.Follower.Limetype);
        foreach (var (address, level) in participants)
        {
            long followerId;
            if (existing.TryGetValue(address.Address, out var rows))
            {
                followerId = rows[0].Id;
                // Writing again brings a follower back into the conversation.
                if (level == "from" && rows[0][c.Follower.PropertyActive] is not true)
                {
                    await session.UpdateAsync(c.Follower.Limetype, followerId, new Dictionary<string, object?> { [c.Follower.PropertyActive] = true }, cancellationToken);
                }
            }
            else
            {
                var values = new Dictionary<string, object?>
                {
                    [c.Follower.PropertyName] = address.Name ?? address.Address,
                    [c.Follower.PropertyAddress] = address.Address,
                    [c.Follower.PropertyParticipationLevel] = level,
                    [c.Follower.PropertyActive] = true,
                    // Automatic senders (auto-replies, lists, bounces) follow, but are never notified.
                    [c.Follower.PropertySubscribed] = m.AutomaticReason is null,
                    [c.Follower.RelationConversation] = conversationId,
                    [c.Follower.RelationConversationMessage] = messageId,
                };
                for (var i = 0; i < c.FollowerParents.Count; i++)
                {
                    var parent = c.FollowerParents[i];
                    if (!matchesByParent[i].TryGetValue(address.Address, out var matches))
                    {
                        continue;
                    }

                    if (matches.Count > 1)
                    {
                        notes.Add($"{address.Address} matches several {parent.Limetype} records; the most recently updated was linked.");
                    }

                    var relation = session.Schema.Get(parent.Limetype).Find(parent.RelationFollower);
                    if (relation?.Type == PropertyType.HasMany && relation.InverseProperty is { } inverse && followerType.Find(inverse) is not null)
                    {
                        values[inverse] = matches[0].Id;
                    }
                }

                followerId = await session.CreateAsync(c.Follower.Limetype, values, cancellationToken);
            }

            await session.CreateAsync(c.MessageFollower.Limetype, new Dictionary<string, object?>
            {
                [c.MessageFollower.PropertyParticipationLevel] = level,
                [c.MessageFollower.RelationFollower] = followerId,
                [c.MessageFollower.RelationConversationMessage] = messageId,
            }, cancellationToken);
        }
    }
}
