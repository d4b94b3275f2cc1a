using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>Where an archive import stands after a batch; saved in the batch's own transaction.</summary>
/// <param name="Position">The archive's messages done (imported, already there or failed): the next one's index.</param>
public sealed record ArchiveBatch(int Position, int Imported, int Duplicates, int Failed, IReadOnlyList<ArchiveBatchFailure> Failures);

/// <summary>A message of an archive that failed, with its failure record (raw .eml and Retry).</summary>
public sealed record ArchiveBatchFailure(int Index, string Name, string Reason, string? Subject, long ImportErrorId);

/// <summary>An uploaded archive's messages through the same per-message path and dedupe as a mailbox's.</summary>
public sealed partial class ImportService
{
    /// <summary>
    /// Imports an archive's messages from <paramref name="from"/> on, in the mailbox import's batches:
    /// <paramref name="save"/> writes where the archive stands in each batch's transaction, so a crash
    /// loses no committed message and imports none twice; <paramref name="committed"/> is told after each commit.
    /// Archived mail notifies no follower. Each batch holds the account's import gate, so live mail goes on between batches.
    /// </summary>
    public async Task ImportArchiveAsync(
        Guid accountId, ArchiveReader reader, int from, Func<ObjectSession, ArchiveBatch, CancellationToken, Task> save,
        Action<ArchiveBatch> committed, CancellationToken cancellationToken)
    {
        var target = await TargetAsync(accountId, notify: false, cancellationToken);
        var source = new ArchiveSource(this, reader, from, target.Application, cancellationToken);
        try
        {
            while (source.Remaining > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (await gates.AcquireAsync(accountId, cancellationToken))
                {
                    await ImportBatchAsync(target, source, new ArchiveBatchEnd(this, target, source, save, committed), cancellationToken);
                }
            }
        }
        finally
        {
            await source.DiscardAsync(files);
        }
    }

    /// <summary>An archive's entries in order, the next one read on another thread while one is written.</summary>
    private sealed class ArchiveSource(ImportService service, ArchiveReader reader, int from, ApplicationConfiguration application, CancellationToken cancellationToken)
        : IMessageSource
    {
        private Task<Fetched>? ahead;

        /// <summary>The entries taken so far: the position a committed batch saves.</summary>
        public int Position { get; private set; } = from;

        public int Remaining => reader.Count - Position;

        public ArchiveReader Reader => reader;

        public async Task<Fetched> TakeAsync()
        {
            var current = ahead ?? ReadAsync(Position);
            ahead = null;
            var fetched = await current;
            Position++;
            if (Position < reader.Count)
            {
                var next = Position;
                ahead = Task.Run(() => ReadAsync(next), cancellationToken);
            }

            return fetched;
        }

        private async Task<Fetched> ReadAsync(int index)
        {
            var entry = await reader.ReadAsync(index, cancellationToken);
            return entry.Message is { } message
                ? service.Prepare(message, application, cancellationToken)
                : new Fetched(reader.RefOf(index)) { Error = entry.Error };
        }

        public async Task DiscardAsync(IFileStore files)
        {
            if (ahead is { } left)
            {
                ahead = null;
                try
                {
                    await (await left).DiscardAsync(files);
                }
                catch (Exception)
                {
                    // Read ahead and not taken: nothing of it was imported, whatever went wrong.
                }
            }
        }
    }

    /// <summary>An archive's batch: its failure records and where it stands, in the batch's transaction.</summary>
    private sealed class ArchiveBatchEnd(
        ImportService service, Target target, ArchiveSource source, Func<ObjectSession, ArchiveBatch, CancellationToken, Task> save, Action<ArchiveBatch> committed)
        : IBatchEnd
    {
        private ArchiveBatch? batch;

        public async Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
        {
            var recorded = new List<ArchiveBatchFailure>();
            foreach (var failure in failures)
            {
                var errorId = await service.RecordFailureAsync(session, target.Account, failure, cancellationToken);
                var index = (int)failure.Ref.Uid - 1;
                recorded.Add(new ArchiveBatchFailure(index, source.Reader.NameOf(index), failure.Reason, failure.Message?.Subject, errorId));
            }

            batch = new ArchiveBatch(source.Position, outcomes.Count(o => o == ImportOutcome.Imported), outcomes.Count(o => o == ImportOutcome.Duplicate),
                failures.Count, recorded);
            await save(session, batch, cancellationToken);
        }

        public Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
        {
            committed(batch!);
            return Task.CompletedTask;
        }
    }
}
