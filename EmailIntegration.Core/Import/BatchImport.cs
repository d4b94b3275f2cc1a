using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Storage;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Imports a source's messages a batch at a time (at most BatchSize messages, and no more once
/// BatchTime has passed) in one transaction with a savepoint per message: a message that fails is
/// rolled back alone and recorded; the others commit together, and only then are they flagged
/// \Seen, in one command. A crash before the commit leaves the whole batch unseen (imported again
/// next time); a crash after it leaves dedupe hits.
/// </summary>
internal sealed class BatchImport(
    ObjectStore store, IFileStore files, MessageImport messages, IOptions<ImportOptions> options, IOutboxSignal outboxSignal, TimeProvider clock)
{
    /// <summary>
    /// The next batch of <paramref name="source"/>. <paramref name="end"/> says what the source does around
    /// the commit (a mailbox: \Seen and failures after it; an archive: its position and failures in it).
    /// Gives each message's outcome, failures last.
    /// </summary>
    public async Task<List<ImportOutcome>> ImportAsync(ImportTarget target, IMessageSource source, IBatchEnd end, CancellationToken cancellationToken)
    {
        var outcomes = new List<ImportOutcome>();
        var entries = new List<ImportLogEntry>();
        var events = new List<NotificationEvent>();
        var done = new List<MailboxMessageRef>();
        var failures = new List<Failure>();
        var failed = new List<IncomingMessage>();
        // Attachments of the batch's imported messages: deleted again if the batch never commits.
        var uncommitted = new List<string>();
        try
        {
            await using (var session = await store.OpenAsync(ImportService.Actor, cancellationToken))
            {
                var started = clock.GetTimestamp();
                var size = Math.Max(1, options.Value.BatchSize);
                for (var taken = 0; taken < size && source.Remaining > 0 && (taken == 0 || clock.GetElapsedTime(started) < options.Value.BatchTime); taken++)
                {
                    var fetched = await source.TakeAsync();
                    if (fetched.Message is not { } message)
                    {
                        failures.Add(new Failure(null, fetched.Ref, fetched.Error!, null));
                        continue;
                    }

                    var outcome = await ImportOneAsync(session, target, fetched, entries, events, failures, failed, cancellationToken);
                    if (outcome != ImportOutcome.Failed)
                    {
                        done.Add(fetched.Ref);
                        uncommitted.AddRange(fetched.Stored.Select(f => f.Key));
                        outcomes.Add(outcome);
                    }
                }

                // The log entries of the batch, written with it (after any savepoint rollback).
                await session.InsertRecordsAsync(entries, cancellationToken);
                await session.InsertRecordsAsync(events, cancellationToken);
                await end.BeforeCommitAsync(session, outcomes, failures, cancellationToken);
                await session.CommitAsync(cancellationToken);
                uncommitted.Clear();
            }

            if (outcomes.Contains(ImportOutcome.Imported))
            {
                outboxSignal.Wake();
            }

            await end.AfterCommitAsync(done, failures, cancellationToken);
        }
        finally
        {
            // The batch was rolled back (a broken connection, a stop): its messages stay unseen and
            // are imported again, so the files stored for them would belong to nothing.
            foreach (var key in uncommitted)
            {
                await files.DeleteAsync(key, CancellationToken.None);
            }

            foreach (var message in failed)
            {
                await message.DisposeAsync();
            }
        }

        return outcomes.Concat(Enumerable.Repeat(ImportOutcome.Failed, failures.Count)).ToList();
    }

    /// <summary>
    /// One message of the batch. An imported one is let go at once, so a batch holds only its
    /// failures, recorded by the batch's end with their raw bytes (kept now; the spool file goes when the batch ends).
    /// </summary>
    private async Task<ImportOutcome> ImportOneAsync(
        ObjectSession session, ImportTarget target, Fetched fetched, List<ImportLogEntry> entries, List<NotificationEvent> events, List<Failure> failures,
        List<IncomingMessage> failed, CancellationToken cancellationToken)
    {
        var message = fetched.Message!;
        var outcome = ImportOutcome.Failed;
        try
        {
            var result = await messages.ImportAsync(session, target, fetched, null, cancellationToken);
            if (result.Error is { } error)
            {
                var raw = await files.SaveAsync("message.eml", message.WriteRawAsync, cancellationToken);
                failures.Add(new Failure(message, message.Ref, MessageImport.Reason(error, target.Application), raw));
                return ImportOutcome.Failed;
            }

            entries.Add(result.Entry ?? messages.Entry(target.Account.Id, message, ImportOutcome.Duplicate, "Already imported; marked seen.", null));
            if (result.Event is { } notification)
            {
                events.Add(notification);
            }

            outcome = result.Outcome;
            return outcome;
        }
        finally
        {
            if (outcome == ImportOutcome.Failed)
            {
                await fetched.SettleAsync();
                failed.Add(message);
            }
            else
            {
                await message.DisposeAsync();
            }
        }
    }
}
