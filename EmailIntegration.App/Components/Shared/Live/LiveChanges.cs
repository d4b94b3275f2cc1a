using EmailIntegration.Core.Changes;

namespace EmailIntegration.App.Components.Shared.Live;

/// <summary>
/// A circuit's view of the change feed. A component subscribes with what it cares about and a
/// refresh; a burst of commits (an import batch) becomes one refresh shortly after the first,
/// so an open page follows the import without re-querying per message. Disposing the circuit
/// (or the subscription) unsubscribes, so closed pages are never called.
/// </summary>
internal sealed class LiveChanges : IDisposable
{
    /// <summary>How long a refresh waits for more commits to join it; well inside the two seconds people may wait.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(150);

    private readonly ChangeFeed feed;
    private readonly TimeProvider clock;
    private readonly List<Subscription> subscriptions = [];
    private readonly Lock gate = new();

    public LiveChanges(ChangeFeed feed, TimeProvider clock)
    {
        this.feed = feed;
        this.clock = clock;
        feed.Published += OnPublished;
    }

    /// <summary>
    /// Calls <paramref name="refresh"/> (at most once per burst) after commits that <paramref name="matters"/>.
    /// The refresh gets every batch of the burst.
    /// </summary>
    public IDisposable Subscribe(Func<ChangeBatch, bool> matters, Func<IReadOnlyList<ChangeBatch>, Task> refresh)
    {
        var subscription = new Subscription(this, matters, refresh);
        lock (gate)
        {
            subscriptions.Add(subscription);
        }

        return subscription;
    }

    private void OnPublished(ChangeBatch batch)
    {
        Subscription[] current;
        lock (gate)
        {
            current = [.. subscriptions];
        }

        foreach (var subscription in current)
        {
            subscription.Offer(batch);
        }
    }

    public void Dispose()
    {
        feed.Published -= OnPublished;
        lock (gate)
        {
            subscriptions.Clear();
        }
    }

    private sealed class Subscription(LiveChanges owner, Func<ChangeBatch, bool> matters, Func<IReadOnlyList<ChangeBatch>, Task> refresh) : IDisposable
    {
        private readonly List<ChangeBatch> pending = [];
        private bool scheduled;
        private bool disposed;

        public void Offer(ChangeBatch batch)
        {
            if (!matters(batch))
            {
                return;
            }

            lock (pending)
            {
                if (disposed)
                {
                    return;
                }

                pending.Add(batch);
                if (scheduled)
                {
                    return;
                }

                scheduled = true;
            }

            _ = RunAsync();
        }

        private async Task RunAsync()
        {
            await Task.Delay(Coalesce, owner.clock);
            List<ChangeBatch> batches;
            lock (pending)
            {
                batches = [.. pending];
                pending.Clear();
                scheduled = false;
                if (disposed)
                {
                    return;
                }
            }

            try
            {
                await refresh(batches);
            }
            catch (ObjectDisposedException)
            {
                // The page closed while the refresh ran.
            }
        }

        public void Dispose()
        {
            lock (pending)
            {
                disposed = true;
            }

            lock (owner.gate)
            {
                owner.subscriptions.Remove(this);
            }
        }
    }
}
