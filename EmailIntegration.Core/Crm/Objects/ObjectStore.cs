using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// Objects of any limetype. Work happens in an <see cref="ObjectSession"/>: one DbContext and one
/// transaction, so an import can create a ticket, its conversation and messages atomically.
/// The single-call helpers open a session of their own.
/// </summary>
public sealed class ObjectStore(SchemaService schemaService, IDbContextFactory<AppDbContext> contextFactory, TimeProvider timeProvider, ChangeFeed changeFeed)
    : IDisposable
{
    // SQLite lets one transaction write at a time. The writers of this process queue here, in order and
    // without a thread each, rather than at the database file, where a writer that finds it locked
    // sleeps a thread and tries again (150 ms at a time in the SQLite provider), whoever came first.
    private readonly SemaphoreSlim writes = new(1, 1);

    /// <summary>How long a writer waits for the ones before it, as long as the SQLite provider waits for a lock.</summary>
    internal static readonly TimeSpan WriteWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A session for writing: it waits its turn among this process's writers, and its transaction begins
    /// IMMEDIATE (the SQLite provider's default), taking the write lock at once. Disposing it lets the next one in.
    /// </summary>
    public async Task<ObjectSession> OpenAsync(string? actor, CancellationToken cancellationToken = default)
    {
        if (!await writes.WaitAsync(WriteWait, cancellationToken))
        {
            throw new TimeoutException($"The database was busy with other changes for {WriteWait.TotalSeconds:0} seconds; nothing was saved. Try again.");
        }

        try
        {
            var session = await OpenCoreAsync(actor, db => db.Database.BeginTransactionAsync(cancellationToken), cancellationToken);
            session.OnDispose(Release);
            return session;
        }
        catch
        {
            Release();
            throw;
        }
    }

    private void Release()
    {
        try
        {
            writes.Release();
        }
        catch (ObjectDisposedException)
        {
            // The App stopped while the session was open: there is no next writer.
        }
    }

    public void Dispose() => writes.Dispose();

    /// <summary>
    /// A session for reading only: no transaction of its own, so it never waits for a writer (an
    /// import's batch) and never holds one up; each statement reads the latest committed data.
    /// </summary>
    public Task<ObjectSession> OpenReadAsync(CancellationToken cancellationToken = default) =>
        OpenCoreAsync(null, db => db.Database.OpenConnectionAsync(cancellationToken), cancellationToken);

    private async Task<ObjectSession> OpenCoreAsync(string? actor, Func<AppDbContext, Task> start, CancellationToken cancellationToken)
    {
        var schema = await schemaService.GetAsync(cancellationToken);
        var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        try
        {
            await start(db);
            return new ObjectSession(db, schema, timeProvider, actor, changeFeed);
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    public async Task<long> CreateAsync(string limetype, IReadOnlyDictionary<string, object?> values, string? actor, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenAsync(actor, cancellationToken);
        var id = await session.CreateAsync(limetype, values, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return id;
    }

    public async Task UpdateAsync(string limetype, long id, IReadOnlyDictionary<string, object?> values, string? actor, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenAsync(actor, cancellationToken);
        await session.UpdateAsync(limetype, id, values, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    public async Task<bool> DeleteAsync(string limetype, long id, string? actor, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenAsync(actor, cancellationToken);
        var deleted = await session.DeleteAsync(limetype, id, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return deleted;
    }

    public async Task<LimeObject?> GetAsync(string limetype, long id, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenReadAsync(cancellationToken);
        return await session.GetAsync(limetype, id, cancellationToken);
    }

    public async Task<IReadOnlyList<LimeRow>> QueryAsync(
        LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenReadAsync(cancellationToken);
        return await session.QueryAsync(query, context, cancellationToken);
    }

    public async Task<long> CountAsync(string limetype, System.Text.Json.Nodes.JsonNode? filter, QueryContext context, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenReadAsync(cancellationToken);
        return await session.CountAsync(limetype, filter, context, cancellationToken);
    }

    public async Task<long> CountAsync(LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenReadAsync(cancellationToken);
        return await session.CountAsync(query, context, cancellationToken);
    }

    public async Task<double> SumAsync(string limetype, System.Text.Json.Nodes.JsonNode? filter, string property, QueryContext context, CancellationToken cancellationToken = default)
    {
        await using var session = await OpenReadAsync(cancellationToken);
        return await session.SumAsync(limetype, filter, property, context, cancellationToken);
    }

    /// <summary>The <c>$me</c> of a signed-in user: the coworker whose <c>username</c> is the user's id.</summary>
    public async Task<QueryContext> ContextForUserAsync(string? userId, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(userId))
        {
            return QueryContext.Anonymous;
        }

        await using var session = await OpenReadAsync(cancellationToken);
        var found = await session.FindAsync("coworker", "username", userId, 1, cancellationToken);
        var coworker = found.Count > 0 ? found[0] : null;
        return coworker is null ? QueryContext.Anonymous : new QueryContext(coworker.Id, coworker.Values);
    }
}
