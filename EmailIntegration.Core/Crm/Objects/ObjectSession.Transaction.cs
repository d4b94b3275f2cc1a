using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>The session's transaction: savepoints, the commit that publishes the changes, and disposal.</summary>
public sealed partial class ObjectSession
{
    /// <summary>Marks a point inside the transaction to roll back to, so one failed piece of work does not undo the others.</summary>
    public Task SavepointAsync(string name, CancellationToken cancellationToken = default)
    {
        savepoints[name] = (changes.Count, deferred.Count);
        return Command($"SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken = default)
    {
        await Command($"ROLLBACK TO SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);
        db.ChangeTracker.Clear();
        existing.Clear();
        if (savepoints.TryGetValue(name, out var at))
        {
            if (at.Changes <= changes.Count)
            {
                changes.RemoveRange(at.Changes, changes.Count - at.Changes);
            }

            if (at.Deferred <= deferred.Count)
            {
                deferred.RemoveRange(at.Deferred, deferred.Count - at.Deferred);
            }
        }
    }

    public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken = default) =>
        Command($"RELEASE SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);

    // Note: savepoints run as the session's own prepared statements (EF's savepoint API prepares one each time);
    // the transaction is EF's, so it still commits or rolls back as a whole.
    private static string SavepointName(string name) =>
        CrmSchema.IsValidName(name) ? SqlDialect.Quote(name) : throw new ArgumentException($"'{name}' is not a valid savepoint name.", nameof(name));

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await RunDeferredAsync(cancellationToken);
        await (db.Database.CurrentTransaction ?? throw new InvalidOperationException("A session for reading only has nothing to commit."))
            .CommitAsync(cancellationToken);
        if (changes.Count > 0)
        {
            var batch = new ChangeBatch(changes.ToList(), actor);
            changes.Clear();
            feed?.Publish(batch);
        }
    }

    /// <summary>
    /// Runs the statements deferred so far (see <see cref="ExecuteAtCommit"/>) now. For a long transaction
    /// without savepoints (a backfill over every message), so what it defers does not pile up in memory.
    /// </summary>
    internal async Task RunDeferredAsync(CancellationToken cancellationToken)
    {
        foreach (var (sql, parameters) in deferred)
        {
            await ExecuteAsync(sql, parameters, cancellationToken);
        }

        deferred.Clear();
    }

    /// <summary>Runs once the session is disposed, its transaction ended (the store's turn for the next writer).</summary>
    internal void OnDispose(Action action) => disposed = action;

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var command in commands.Values)
            {
                await command.DisposeAsync();
            }

            commands.Clear();
            await db.DisposeAsync();
        }
        finally
        {
            Interlocked.Exchange(ref disposed, null)?.Invoke();
        }
    }
}
