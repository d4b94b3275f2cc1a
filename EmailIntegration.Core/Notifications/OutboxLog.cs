using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Notifications;

/// <summary>The outbox as the Logs tab shows it, and the admin's resend.</summary>
public sealed class OutboxLog(IDbContextFactory<AppDbContext> dbFactory, IOutboxSignal signal, TimeProvider clock)
{
    public async Task<IReadOnlyList<OutboxRow>> RecentAsync(Guid? accountId, OutboxState? state, int limit = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<OutboxMessage>().AsNoTracking();
        if (accountId is { } id)
        {
            query = query.Where(o => o.AccountId == id);
        }

        if (state is { } s)
        {
            query = query.Where(o => o.State == s);
        }

        var rows = await query.OrderByDescending(o => o.CreatedUtc).Take(limit).Include(o => o.Recipients).ToListAsync(cancellationToken);
        return rows.Select(o => new OutboxRow(o.Id, o.AccountId, o.Kind, o.State, o.Subject, string.Join(", ", o.Recipients.OrderBy(r => r.Id).Select(r => r.Address)),
            o.Attempts, o.CreatedUtc, o.NextAttemptUtc, o.SentUtc, o.LastError, o.ConversationId)).ToList();
    }

    /// <summary>Queues a failed or waiting message to go now. A sent one is not sent again from here.</summary>
    public async Task<bool> ResendAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Set<OutboxMessage>()
            .Where(o => o.Id == id && (o.State == OutboxState.Failed || o.State == OutboxState.Retrying))
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Queued)
                .SetProperty(o => o.Attempts, 0)
                .SetProperty(o => o.NextAttemptUtc, clock.GetUtcNow().UtcDateTime), cancellationToken);
        if (changed == 1)
        {
            signal.Wake();
        }

        return changed == 1;
    }

    /// <summary>What the hub decided per message: who was notified, or why nobody was (automatic mail, the auto-reply cap).</summary>
    public async Task<IReadOnlyList<NotificationEvent>> DecisionsAsync(Guid? accountId, int limit = 100, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<NotificationEvent>().AsNoTracking();
        if (accountId is { } id)
        {
            query = query.Where(e => e.AccountId == id);
        }

        return await query.OrderByDescending(e => e.Id).Take(limit).ToListAsync(cancellationToken);
    }

    /// <param name="recent">Only messages queued within this time (the start page cares about the last days).</param>
    public async Task<IReadOnlyDictionary<OutboxState, int>> CountsAsync(TimeSpan? recent = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var since = recent is { } window ? clock.GetUtcNow().UtcDateTime - window : DateTime.MinValue;
        return await db.Set<OutboxMessage>().Where(o => o.CreatedUtc >= since).GroupBy(o => o.State).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
    }
}
