using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Import;

/// <summary>What the Logs tab shows: recent import runs and per-message outcomes, per account.</summary>
public sealed class ImportLogService(IDbContextFactory<AppDbContext> dbFactory)
{
    public async Task<IReadOnlyList<ImportRun>> RunsAsync(Guid? accountId, int take = 50, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.Set<ImportRun>().AsNoTracking();
        if (accountId is { } id)
        {
            runs = runs.Where(r => r.AccountId == id);
        }

        // Note: passes that found nothing are left out; they happen on every IDLE wake-up.
        return await runs.Where(r => r.Imported + r.Failed + r.Duplicates > 0 || r.Error != null)
            .OrderByDescending(r => r.Id).Take(take).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ImportLogEntry>> EntriesAsync(Guid? accountId, ImportOutcome? outcome = null, int take = 200, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = db.Set<ImportLogEntry>().AsNoTracking();
        if (accountId is { } id)
        {
            entries = entries.Where(e => e.AccountId == id);
        }

        if (outcome is { } wanted)
        {
            entries = entries.Where(e => e.Outcome == wanted);
        }

        return await entries.OrderByDescending(e => e.Id).Take(take).ToListAsync(cancellationToken);
    }
}
