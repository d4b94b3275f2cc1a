namespace EmailIntegration.App.Components.Shared.Live;

/// <summary>
/// Who has a conversation open and who is writing in it, across every circuit of this process, so two
/// agents do not answer the same customer twice. Presence is in memory: it is about this minute only.
/// </summary>
internal sealed class TicketPresence
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, Dictionary<Guid, Presence>> byConversation = [];

    /// <summary>Raised with the conversation whose presence changed.</summary>
    public event Action<long>? Changed;

    public sealed record Presence(string UserId, string Name, bool Replying);

    /// <summary>Says that a page (its <paramref name="token"/>) shows the conversation, and whether its user is replying.</summary>
    public void Set(long conversationId, Guid token, string userId, string name, bool replying)
    {
        lock (gate)
        {
            if (!byConversation.TryGetValue(conversationId, out var pages))
            {
                byConversation[conversationId] = pages = [];
            }

            if (pages.TryGetValue(token, out var current) && current.Replying == replying)
            {
                return;
            }

            pages[token] = new Presence(userId, name, replying);
        }

        Changed?.Invoke(conversationId);
    }

    public void Leave(long conversationId, Guid token)
    {
        lock (gate)
        {
            if (!byConversation.TryGetValue(conversationId, out var pages) || !pages.Remove(token))
            {
                return;
            }

            if (pages.Count == 0)
            {
                byConversation.Remove(conversationId);
            }
        }

        Changed?.Invoke(conversationId);
    }

    /// <summary>The other people on the conversation (one entry per person; replying wins over viewing).</summary>
    public IReadOnlyList<Presence> Others(long conversationId, string userId)
    {
        lock (gate)
        {
            return byConversation.TryGetValue(conversationId, out var pages)
                ? pages.Values.Where(p => p.UserId != userId).GroupBy(p => p.UserId)
                    .Select(g => g.OrderByDescending(p => p.Replying).First()).OrderBy(p => p.Name, StringComparer.CurrentCulture).ToList()
                : [];
        }
    }
}
