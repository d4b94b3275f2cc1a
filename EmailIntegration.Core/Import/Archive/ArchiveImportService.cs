using System.Collections.Concurrent;
using System.Threading.Channels;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import.Archive;

/// <summary>
/// Uploaded archives imported into an account in the background, one at a time: the upload is
/// streamed to the data folder, the job is a row that survives a restart, and the messages go
/// through <see cref="ImportService.ImportArchiveAsync"/>, the mailbox import's own batches and dedupe.
/// </summary>
public sealed class ArchiveImportService(
    IDbContextFactory<AppDbContext> dbFactory, ImportService imports, DataFolderOptions dataFolder, IOptions<ImportOptions> options,
    TimeProvider clock, ILogger<ArchiveImportService> logger)
{
    private readonly Channel<long> queue = Channel.CreateUnbounded<long>();
    private readonly ConcurrentDictionary<long, CancellationTokenSource> running = new();

    /// <summary>Raised on the worker's thread after each committed batch and each change of state; subscribers only hand off.</summary>
    public event Action<ArchiveProgress>? Progress;

    public long MaxUploadBytes => options.Value.ArchiveMaxUploadMb * 1024 * 1024;

    /// <summary>Streams an upload to the data folder (never whole in memory) and queues its import.</summary>
    public async Task<ArchiveImport> UploadAsync(Guid accountId, string fileName, Stream content, string? createdBy, CancellationToken cancellationToken = default)
    {
        if (ArchiveReader.KindOf(fileName) is not { } kind)
        {
            throw new ArchiveRefusedException("Only .eml, .mbox and .zip files can be imported.");
        }

        var folder = Path.Combine(dataFolder.FullDataPath, "archives");
        Directory.CreateDirectory(folder);
        var stored = $"{Guid.NewGuid():N}{Path.GetExtension(fileName).ToLowerInvariant()}";
        var path = Path.Combine(folder, stored);
        long size = 0;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            int read;
            while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > MaxUploadBytes)
                {
                    throw new ArchiveRefusedException($"The file is larger than {options.Value.ArchiveMaxUploadMb:N0} MB (Import:ArchiveMaxUploadMb).");
                }

                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        var job = new ArchiveImport
        {
            AccountId = accountId,
            FileName = Path.GetFileName(fileName),
            StoredPath = Path.Combine("archives", stored),
            FileSize = size,
            State = ArchiveImportState.Queued,
            CreatedBy = createdBy,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
            Total = kind == ArchiveKind.Eml ? 1 : 0,
        };
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Add(job);
            await db.SaveChangesAsync(cancellationToken);
        }

        logger.LogInformation("Archive {File} ({Size} bytes) uploaded for account {Account} as import {Id}", job.FileName, size, accountId, job.Id);
        Publish(job);
        queue.Writer.TryWrite(job.Id);
        return job;
    }

    public async Task<IReadOnlyList<ArchiveImport>> ListAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ArchiveImport>().Where(j => j.AccountId == accountId).OrderByDescending(j => j.Id).Take(20).ToListAsync(cancellationToken);
    }

    public async Task<ArchiveImport?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ArchiveImport>().FindAsync([id], cancellationToken);
    }

    public async Task<IReadOnlyList<ArchiveImportFailure>> FailuresAsync(long id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ArchiveImportFailure>().Where(f => f.ArchiveImportId == id).OrderBy(f => f.Index).Take(1000).ToListAsync(cancellationToken);
    }

    /// <summary>Stops an import after its current batch (committed work stays); a queued one does not start.</summary>
    public async Task CancelAsync(long id, CancellationToken cancellationToken = default)
    {
        if (running.TryGetValue(id, out var stop))
        {
            await stop.CancelAsync();
            return;
        }

        await SetStateAsync(id, ArchiveImportState.Queued, ArchiveImportState.Cancelled, cancellationToken);
    }

    /// <summary>Queues a cancelled import again; it continues after its last committed message.</summary>
    public async Task ResumeAsync(long id, CancellationToken cancellationToken = default)
    {
        if (await SetStateAsync(id, ArchiveImportState.Cancelled, ArchiveImportState.Queued, cancellationToken))
        {
            queue.Writer.TryWrite(id);
        }
    }

    private async Task<bool> SetStateAsync(long id, ArchiveImportState from, ArchiveImportState to, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var changed = await db.Set<ArchiveImport>().Where(j => j.Id == id && j.State == from)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, to), cancellationToken) > 0;
        if (changed && await db.Set<ArchiveImport>().AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken) is { } job)
        {
            Publish(job);
        }

        return changed;
    }

    /// <summary>Runs queued imports one at a time until the host stops; those a stop or a crash interrupted come first.</summary>
    public async Task RunQueueAsync(CancellationToken stopping)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(stopping))
        {
            var interrupted = await db.Set<ArchiveImport>()
                .Where(j => j.State == ArchiveImportState.Queued || j.State == ArchiveImportState.Running)
                .OrderBy(j => j.Id).Select(j => j.Id).ToListAsync(stopping);
            foreach (var id in interrupted)
            {
                queue.Writer.TryWrite(id);
            }
        }

        await foreach (var id in queue.Reader.ReadAllAsync(stopping))
        {
            try
            {
                await RunAsync(id, stopping);
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // The database did not answer (a full disk): this one stays queued for the next start, the others go on.
                logger.LogError(ex, "Archive import {Id} could not start", id);
            }
        }
    }

    private async Task RunAsync(long id, CancellationToken stopping)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        // Listed before it is claimed, so a cancel from now on reaches it.
        running[id] = stop;
        try
        {
            if (await ClaimAsync(id, stopping) is { } job)
            {
                await RunClaimedAsync(job, stop.Token, stopping);
            }
        }
        finally
        {
            running.TryRemove(id, out _);
        }
    }

    /// <summary>Marks a queued (or interrupted) import Running in one statement, so a cancel that came while it waited wins.</summary>
    private async Task<ArchiveImport?> ClaimAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Set<ArchiveImport>()
            .Where(j => j.Id == id && (j.State == ArchiveImportState.Queued || j.State == ArchiveImportState.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.State, ArchiveImportState.Running), cancellationToken);
        return claimed == 0 ? null : await db.Set<ArchiveImport>().AsNoTracking().FirstAsync(j => j.Id == id, cancellationToken);
    }

    private async Task RunClaimedAsync(ArchiveImport job, CancellationToken cancellationToken, CancellationToken stopping)
    {
        try
        {
            Publish(job);
            await ImportAsync(job, cancellationToken);
            job.State = ArchiveImportState.Completed;
            job.FinishedUtc = clock.GetUtcNow().UtcDateTime;
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host stops: still Running, so the next start resumes it.
            return;
        }
        catch (OperationCanceledException)
        {
            job.State = ArchiveImportState.Cancelled;
        }
        catch (Exception ex) when (ex is ArchiveRefusedException or ImportStoppedException or IOException)
        {
            job.State = ArchiveImportState.Failed;
            job.Error = ex.Message;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Archive import {Id} stopped", job.Id);
            job.State = ArchiveImportState.Failed;
            job.Error = $"{ex.GetType().Name}: {ex.Message}";
        }

        if (job.State is ArchiveImportState.Completed or ArchiveImportState.Failed)
        {
            // Nothing left to resume: the failed messages keep their own .eml in the file store.
            File.Delete(Path.Combine(dataFolder.FullDataPath, job.StoredPath));
        }

        await SaveAsync(job, CancellationToken.None);
        logger.LogInformation("Archive import {Id}: {State}, {Imported} imported, {Duplicates} already there, {Failed} failed",
            job.Id, job.State, job.Imported, job.Duplicates, job.Failed);
    }

    private async Task ImportAsync(ArchiveImport job, CancellationToken cancellationToken)
    {
        var kind = ArchiveReader.KindOf(job.StoredPath) ?? throw new ArchiveRefusedException("The stored archive has an unknown kind.");
        var limits = new ArchiveLimits(options.Value.ArchiveMaxEntries, options.Value.ArchiveMaxUncompressedMb * 1024 * 1024);
        using var reader = await ArchiveReader.OpenAsync(Path.Combine(dataFolder.FullDataPath, job.StoredPath), kind,
            Path.Combine(dataFolder.FullDataPath, "spool"), $"archive:{job.Id}:", new DateTimeOffset(job.CreatedUtc, TimeSpan.Zero), limits, cancellationToken);
        job.Total = reader.Count;
        job.Skipped = reader.Skipped;
        await SaveAsync(job, cancellationToken);

        var started = clock.GetTimestamp();
        var startedAt = job.Position;
        await imports.ImportArchiveAsync(job.AccountId, reader, job.Position, (session, batch, ct) => SaveBatchAsync(session, job, batch, ct), batch =>
        {
            // Committed: only now does the job in memory move on.
            job.Position = batch.Position;
            job.Imported += batch.Imported;
            job.Duplicates += batch.Duplicates;
            job.Failed += batch.Failed;
            var rate = (job.Position - startedAt) / Math.Max(0.001, clock.GetElapsedTime(started).TotalSeconds);
            Publish(job, rate, rate > 0 ? TimeSpan.FromSeconds((job.Total - job.Position) / rate) : null);
        }, cancellationToken);
    }

    /// <summary>Where the archive stands and its failures, in the transaction of the batch's records.</summary>
    private static async Task SaveBatchAsync(ObjectSession session, ArchiveImport job, ArchiveBatch batch, CancellationToken cancellationToken)
    {
        await session.Records<ArchiveImport>().Where(j => j.Id == job.Id).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Position, batch.Position)
            .SetProperty(j => j.Imported, job.Imported + batch.Imported)
            .SetProperty(j => j.Duplicates, job.Duplicates + batch.Duplicates)
            .SetProperty(j => j.Failed, job.Failed + batch.Failed), cancellationToken);
        await session.AddRecordsAsync(batch.Failures.Select(failure => new ArchiveImportFailure
        {
            ArchiveImportId = job.Id,
            Index = failure.Index,
            Name = failure.Name.Length > 500 ? failure.Name[..500] : failure.Name,
            Reason = failure.Reason,
            Subject = failure.Subject is { Length: > 1000 } subject ? subject[..1000] : failure.Subject,
            ImportErrorId = failure.ImportErrorId,
        }), cancellationToken);
    }

    private async Task SaveAsync(ArchiveImport job, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            db.Update(job);
            await db.SaveChangesAsync(cancellationToken);
        }

        Publish(job);
    }

    private void Publish(ArchiveImport job, double rate = 0, TimeSpan? left = null)
    {
        var progress = ArchiveProgress.Of(job, rate, left);
        foreach (var handler in Progress?.GetInvocationList().Cast<Action<ArchiveProgress>>() ?? [])
        {
            try
            {
                handler(progress);
            }
            catch (Exception ex)
            {
                // A closed page must not stop the import.
                logger.LogWarning(ex, "An archive progress subscriber failed");
            }
        }
    }
}
