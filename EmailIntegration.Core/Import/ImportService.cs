using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Configuration;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>Why an import pass runs; recorded on the run.</summary>
public enum ImportTrigger
{
    /// <summary>New mail announced by IDLE, or the polling fallback.</summary>
    Live,

    /// <summary>"Handle unprocessed emails": only mail older than the grace period.</summary>
    Recovery,

    /// <summary>An admin asked for it.</summary>
    Manual,
}

/// <summary>
/// One import pass over an account's INBOX: every unseen message becomes records in one
/// transaction, and only after the commit is it flagged \Seen. A message that cannot be imported
/// is recorded with its reason and raw bytes and moved to the failure folder; it never stops the
/// pass. A crash between commit and \Seen is a dedupe hit next time, never a duplicate.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<AppDbContext> dbFactory,
    ObjectStore store,
    AccountService accounts,
    AccountCredentials credentials,
    SettingsStore settings,
    IEnumerable<IIncomingMessageHandler> handlers,
    IFileStore files,
    IOptions<OAuthProviderOptions> providers,
    IOptions<TlsOptions> tls,
    DataFolderOptions dataFolder,
    IOptions<ImportOptions> importOptions,
    IOutboxSignal outboxSignal,
    TimeProvider clock,
    ILogger<ImportService> logger)
{
    public const string Actor = "email-import";

    private readonly AccountLocks gates = new();

    /// <summary>Removes spool files a killed process left behind (older than an hour, so no running import loses one).</summary>
    public void CleanSpool()
    {
        var spool = new DirectoryInfo(Path.Combine(dataFolder.FullDataPath, "spool"));
        if (!spool.Exists)
        {
            return;
        }

        foreach (var file in spool.EnumerateFiles("*.eml").Where(f => f.LastWriteTimeUtc < clock.GetUtcNow().UtcDateTime.AddHours(-1)))
        {
            try
            {
                file.Delete();
            }
            catch (IOException)
            {
                // In use or gone; the next start tries again.
            }
        }
    }

    public async Task<ImportRun> ImportAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken = default)
    {
        // Never two passes at once for one account in this process (the scheduler also prevents it).
        using (await gates.AcquireAsync(accountId, cancellationToken))
        {
            return await RunAsync(accountId, trigger, cancellationToken);
        }
    }

    private async Task<ImportRun> RunAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken)
    {
        var run = new ImportRun { AccountId = accountId, Trigger = trigger.ToString(), StartedUtc = clock.GetUtcNow().UtcDateTime };
        try
        {
            var account = await accounts.GetAsync(accountId, cancellationToken) ?? throw new ImportStoppedException("The account was deleted.");
            var application = await settings.GetApplicationAsync(cancellationToken);
            var runtime = await settings.GetRuntimeAsync(cancellationToken);
            var handler = handlers.FirstOrDefault(h => h.Name == application.IncomingMessageWebhookTask)
                ?? throw new ImportStoppedException(
                    $"No message handler is registered as \"{application.IncomingMessageWebhookTask}\"; set incoming_message_webhook_task to {ApplicationConfiguration.BuiltInHandler} or a registered handler.");
            var ownAddresses = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var credential = await credentials.GetAsync(accountId, false, cancellationToken);
            var server = account.ImapServer(providers.Value);

            await using var mailbox = await MailboxSession.OpenAsync(server, credential, tls.Value, Path.Combine(dataFolder.FullDataPath, "spool"), cancellationToken);
            var unseen = await mailbox.ListUnseenAsync(cancellationToken);
            if (trigger == ImportTrigger.Recovery)
            {
                var cutoff = clock.GetUtcNow() - TimeSpan.FromMinutes(application.VacuumCleanerGracePeriod);
                unseen = unseen.Where(m => m.InternalDate <= cutoff).ToList();
            }

            var pass = new Pass(account, runtime, application, handler, ownAddresses, mailbox, new Lookahead(mailbox, unseen));
            var ahead = new TakenAhead(unseen, mailbox, messageRef => FetchAsync(pass, messageRef, cancellationToken));
            try
            {
                while (ahead.Remaining > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var outcomes = await ImportBatchAsync(pass, ahead, cancellationToken);
                    run.Imported += outcomes.Count(o => o == ImportOutcome.Imported);
                    run.Duplicates += outcomes.Count(o => o == ImportOutcome.Duplicate);
                    run.Failed += outcomes.Count(o => o == ImportOutcome.Failed);
                }

                await mailbox.FlushAsync();
            }
            finally
            {
                // Taken from the mailbox but not imported (the pass stopped): let go, with any attachments stored for them.
                await ahead.DiscardAsync(files);
            }
        }
        catch (Exception ex) when (ex is MailCredentialException or ImportStoppedException)
        {
            run.Error = ex.Message;
        }
        catch (MailboxException ex)
        {
            run.Error = ex.Message;
            if (!ex.Transient)
            {
                await accounts.SetStateAsync(accountId, AccountState.Failing, ex.Message, checkedNow: true, CancellationToken.None);
            }
        }
        finally
        {
            run.FinishedUtc = clock.GetUtcNow().UtcDateTime;
            await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
            db.Add(run);
            await db.SaveChangesAsync(CancellationToken.None);
        }

        if (run.Error is not null)
        {
            logger.LogWarning("Import of account {Account} stopped: {Error}", accountId, run.Error);
        }
        else if (run.Imported + run.Failed > 0)
        {
            logger.LogInformation("Import of account {Account}: {Imported} imported, {Duplicates} already imported, {Failed} failed",
                accountId, run.Imported, run.Duplicates, run.Failed);
        }

        return run;
    }

    /// <summary>
    /// Imports a failed message again from its stored raw bytes (the retry button, and recovery for
    /// failures younger than max_import_age_for_failed_messages). On success the failure record says
    /// "imported"; on failure it keeps the new reason.
    /// </summary>
    public async Task<ImportOutcome> RetryFailedAsync(long importErrorId, CancellationToken cancellationToken = default)
    {
        var failure = await store.GetAsync("importerror", importErrorId, cancellationToken)
            ?? throw new InvalidOperationException("The failure record does not exist.");
        var account = (await accounts.ListAsync(cancellationToken))
            .FirstOrDefault(a => string.Equals(a.EmailAddress, failure.Text("account"), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The account {failure.Text("account")} no longer exists.");
        using (await gates.AcquireAsync(account.Id, cancellationToken))
        {
            var spool = Path.Combine(dataFolder.FullDataPath, "spool", $"{Guid.NewGuid():N}.eml");
            Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
            await using (var raw = await files.OpenAsync(failure.Text("rawmessage") ?? "", cancellationToken)
                ?? throw new InvalidOperationException("The raw message of this failure is missing from the file store."))
            await using (var target = File.Create(spool))
            {
                await raw.CopyToAsync(target, cancellationToken);
            }

            var received = failure["receiveddate"] is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : clock.GetUtcNow();
            await using var message = await MessageReader.ReadAsync(spool, new MailboxMessageRef(0, 0, received, new FileInfo(spool).Length), cancellationToken);
            var application = await settings.GetApplicationAsync(cancellationToken);
            var runtime = await settings.GetRuntimeAsync(cancellationToken);
            var handler = handlers.First(h => h.Name == application.IncomingMessageWebhookTask);
            var uniqueId = DedupeKey(account.Id, message);
            if (await IsImportedAsync(runtime, uniqueId, cancellationToken))
            {
                await store.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?> { ["status"] = "imported" }, Actor, cancellationToken);
                return ImportOutcome.Duplicate;
            }

            var stored = new List<StoredAttachment>();
            try
            {
                await StoreAttachmentsAsync(message, application, stored, cancellationToken);

                var ownAddresses = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
                await using var session = await store.OpenAsync(Actor, cancellationToken);
                var result = await handler.HandleAsync(session, new IncomingContext(account.Id, account.EmailAddress, ownAddresses, runtime, uniqueId, message, stored), cancellationToken);
                if (NotificationEventFor(account.Id, message, result) is { } notification)
                {
                    session.Db.Add(notification);
                }

                await session.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?> { ["status"] = "imported" }, cancellationToken);
                session.Db.Add(Entry(account.Id, message, ImportOutcome.Imported, "Imported on retry of a failed message.", result));
                await session.Db.SaveChangesAsync(cancellationToken);
                await session.CommitAsync(cancellationToken);
                outboxSignal.Wake();
                return ImportOutcome.Imported;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                foreach (var file in stored)
                {
                    await files.DeleteAsync(file.Key, CancellationToken.None);
                }

                await store.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?>
                {
                    ["status"] = "retried",
                    ["reason"] = $"Retried {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC: {Reason(ex, application)}",
                }, Actor, CancellationToken.None);
                return ImportOutcome.Failed;
            }
        }
    }

    /// <summary>Failures recovery retries: not imported yet, received within max_import_age_for_failed_messages.</summary>
    public async Task<IReadOnlyList<long>> FailuresToRetryAsync(CancellationToken cancellationToken = default)
    {
        var application = await settings.GetApplicationAsync(cancellationToken);
        var since = clock.GetUtcNow().AddDays(-application.MaxImportAgeForFailedMessages);
        var filter = new System.Text.Json.Nodes.JsonObject
        {
            ["op"] = "AND",
            ["exp"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["key"] = "status", ["op"] = "!=", ["exp"] = "imported" },
                new System.Text.Json.Nodes.JsonObject { ["key"] = "receiveddate", ["op"] = ">=", ["exp"] = since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) }),
        };
        var rows = await store.QueryAsync(new Crm.Query.LimeQuery("importerror") { Filter = filter, Limit = 1000, Columns = [Crm.Schema.CrmSchema.IdKey] },
            Crm.Query.QueryContext.Anonymous, cancellationToken);
        return rows.Select(r => Convert.ToInt64(r[Crm.Schema.CrmSchema.IdKey], System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>Writes the attachments to the file store, stopping at attachment_max_size_mb in total.</summary>
    private async Task StoreAttachmentsAsync(IncomingMessage message, ApplicationConfiguration application, List<StoredAttachment> stored, CancellationToken cancellationToken)
    {
        var limit = application.AttachmentMaxSizeMb * 1024L * 1024L;
        long total = 0;
        foreach (var attachment in message.Attachments)
        {
            long length = 0;
            var key = await files.SaveAsync(attachment.FileName, async (destination, ct) =>
            {
                await using var counting = new CountingStream(destination, limit - total);
                await attachment.WriteToAsync(counting, ct);
                length = counting.Written;
            }, cancellationToken);
            stored.Add(new StoredAttachment(attachment, key, length));
            total += length;
        }
    }

    private static string Reason(Exception ex, ApplicationConfiguration application) => ex is AttachmentLimitException
        ? $"The attachments exceed {application.AttachmentMaxSizeMb} MB (attachment_max_size_mb); the message was not imported."
        : $"{ex.GetType().Name}: {ex.Message}";

    private sealed record Pass(
        MailAccountSummary Account, RuntimeConfiguration Runtime, ApplicationConfiguration Application,
        IIncomingMessageHandler Handler, IReadOnlySet<string> OwnAddresses, MailboxSession Mailbox, Lookahead Lookahead);

    /// <summary>A message that failed inside a batch, recorded once the batch is committed.</summary>
    private sealed record Failure(IncomingMessage? Message, MailboxMessageRef Ref, string Reason, string? RawKey);

    /// <summary>
    /// A message taken from the mailbox, with its attachments on their way to the file store on
    /// another thread; or the reason it could not be read.
    /// </summary>
    private sealed class Fetched(MailboxMessageRef messageRef, List<StoredAttachment>? stored = null)
    {
        public MailboxMessageRef Ref { get; } = messageRef;

        public IncomingMessage? Message { get; init; }

        public string? Error { get; init; }

        /// <summary>The attachments stored so far: all of them once <see cref="Storing"/> has finished; read only after it.</summary>
        public List<StoredAttachment> Stored { get; } = stored ?? [];

        public Task Storing { get; init; } = Task.CompletedTask;

        /// <summary>Waits until storing the attachments has ended, whichever way.</summary>
        public async Task SettleAsync()
        {
            try
            {
                await Storing;
            }
            catch (Exception)
            {
                // Its failure is the import's to report; what was stored before it is in the list.
            }
        }

        /// <summary>Deletes the stored attachments once storing has ended (a duplicate, a failed import).</summary>
        public async Task DeleteStoredAsync(IFileStore files)
        {
            await SettleAsync();
            foreach (var file in Stored)
            {
                await files.DeleteAsync(file.Key, CancellationToken.None);
            }

            Stored.Clear();
        }

        /// <summary>Lets go of a message that was not imported: its stored attachments and the message.</summary>
        public async Task DiscardAsync(IFileStore files)
        {
            await DeleteStoredAsync(files);
            if (Message is not null)
            {
                await Message.DisposeAsync();
            }
        }
    }

    /// <summary>Takes a message from the mailbox and starts storing its attachments in the background.</summary>
    private async Task<Fetched> FetchAsync(Pass pass, MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        IncomingMessage message;
        try
        {
            pass.Lookahead.Advance(messageRef, cancellationToken);
            message = await pass.Mailbox.FetchAsync(messageRef, cancellationToken);
            // The next ones arrive while this one is written.
            pass.Lookahead.Advance(messageRef, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not MailboxException { Transient: true })
        {
            // Unreadable even as MIME: out of the way, with the reason, so the rest goes on.
            return new Fetched(messageRef) { Error = $"The message could not be read: {ex.Message}" };
        }

        if (message.Attachments.Count == 0)
        {
            return new Fetched(messageRef) { Message = message };
        }

        var stored = new List<StoredAttachment>();
        return new Fetched(messageRef, stored)
        {
            Message = message,
            Storing = Task.Run(() => StoreAttachmentsAsync(message, pass.Application, stored, cancellationToken), cancellationToken),
        };
    }

    /// <summary>
    /// Imports the next batch (at most BatchSize messages, and no more once BatchTime has passed) in
    /// one transaction with a savepoint per message: a message that fails is rolled back alone and
    /// recorded after the commit; the others commit together, and only then are they flagged \Seen,
    /// in one command. A crash before the commit leaves the whole batch unseen (imported
    /// again next time); a crash after it leaves dedupe hits.
    /// </summary>
    private async Task<List<ImportOutcome>> ImportBatchAsync(Pass pass, TakenAhead ahead, CancellationToken cancellationToken)
    {
        var outcomes = new List<ImportOutcome>();
        var entries = new List<ImportLogEntry>();
        var events = new List<NotificationEvent>();
        var done = new List<MailboxMessageRef>();
        var failures = new List<Failure>();
        var messages = new List<IncomingMessage>();
        // Attachments of the batch's imported messages: deleted again if the batch never commits.
        var uncommitted = new List<string>();
        try
        {
            await using (var session = await store.OpenAsync(Actor, cancellationToken))
            {
                var started = clock.GetTimestamp();
                var size = Math.Max(1, importOptions.Value.BatchSize);
                for (var taken = 0; taken < size && ahead.Remaining > 0 && (taken == 0 || clock.GetElapsedTime(started) < importOptions.Value.BatchTime); taken++)
                {
                    var fetched = await ahead.TakeAsync();
                    if (fetched.Message is not { } message)
                    {
                        failures.Add(new Failure(null, fetched.Ref, fetched.Error!, null));
                        continue;
                    }

                    var outcome = ImportOutcome.Failed;
                    try
                    {
                        outcome = await ImportOneAsync(session, pass, fetched, entries, events, failures, cancellationToken);
                    }
                    finally
                    {
                        // Imported messages are let go at once, so a batch holds only its failures (recorded after the commit).
                        if (outcome == ImportOutcome.Failed)
                        {
                            await fetched.SettleAsync();
                            messages.Add(message);
                        }
                        else
                        {
                            await message.DisposeAsync();
                        }
                    }

                    if (outcome != ImportOutcome.Failed)
                    {
                        done.Add(fetched.Ref);
                        uncommitted.AddRange(fetched.Stored.Select(f => f.Key));
                    }

                    outcomes.Add(outcome);
                }

                // The log entries of the batch, written with it (after any savepoint rollback).
                await ImportLogWriter.WriteAsync(session.Db, entries, cancellationToken);
                await ImportLogWriter.WriteAsync(session.Db, events, cancellationToken);
                await session.CommitAsync(cancellationToken);
                uncommitted.Clear();
            }

            if (outcomes.Contains(ImportOutcome.Imported))
            {
                outboxSignal.Wake();
            }

            // Note: only now, after the commit. A crash before the flags are set leaves the mail unseen
            // and the next pass finds it imported (a dedupe hit) and only marks it. They are set in the
            // background, so the next batch is written meanwhile; the pass ends by waiting for them.
            pass.Mailbox.MarkSeenInBackground(done, cancellationToken);
            foreach (var failure in failures)
            {
                await FailAsync(pass, failure, cancellationToken);
            }
        }
        finally
        {
            // The batch was rolled back (a broken connection, a stop): its messages stay unseen and
            // are imported again, so the files stored for them would belong to nothing.
            foreach (var key in uncommitted)
            {
                await files.DeleteAsync(key, CancellationToken.None);
            }

            foreach (var message in messages)
            {
                await message.DisposeAsync();
            }
        }

        return outcomes.Where(o => o != ImportOutcome.Failed).Concat(Enumerable.Repeat(ImportOutcome.Failed, failures.Count)).ToList();
    }

    /// <summary>
    /// The messages taken from the mailbox ahead of the one being written: at most <see cref="Depth"/>,
    /// and only those already downloaded, so taking them costs no wait. Their attachments are stored
    /// on another thread meanwhile. Messages are taken in the pass's order; <see cref="Lookahead"/>
    /// is what downloads them in the background.
    /// </summary>
    private sealed class TakenAhead(IReadOnlyList<MailboxMessageRef> refs, MailboxSession mailbox, Func<MailboxMessageRef, Task<Fetched>> fetch)
    {
        private const int Depth = 8;

        private readonly Queue<Fetched> queue = new();
        private int next;

        /// <summary>The messages of the pass not taken yet.</summary>
        public int Remaining => refs.Count - next + queue.Count;

        public async Task<Fetched> TakeAsync()
        {
            var taken = queue.Count > 0 ? queue.Dequeue() : await fetch(refs[next++]);
            try
            {
                while (queue.Count < Depth && next < refs.Count && mailbox.IsDownloaded(refs[next]))
                {
                    queue.Enqueue(await fetch(refs[next++]));
                }
            }
            catch
            {
                // The pass stops (a broken connection); whatever was taken is let go with the queue.
                queue.Enqueue(taken);
                throw;
            }

            return taken;
        }

        public async Task DiscardAsync(IFileStore files)
        {
            while (queue.TryDequeue(out var left))
            {
                await left.DiscardAsync(files);
            }
        }
    }

    /// <summary>
    /// Keeps one background fetch of the next small messages running while earlier ones are written,
    /// within bounds: a group is at most <see cref="GroupCount"/> messages and <see cref="GroupBytes"/>,
    /// and none starts while <see cref="ReadyBytes"/> or <see cref="GroupCount"/> messages wait untaken.
    /// Large messages are left out; each is fetched alone in ranges when its turn comes.
    /// </summary>
    private sealed class Lookahead(MailboxSession mailbox, IReadOnlyList<MailboxMessageRef> refs)
    {
        private const int GroupCount = 25;
        private const long GroupBytes = 2 * 1024 * 1024;
        private const long ReadyBytes = 4 * 1024 * 1024;

        private readonly Dictionary<uint, int> positions = refs.Select((r, i) => (r.Uid, i)).ToDictionary(p => p.Uid, p => p.i);
        private int next;

        public void Advance(MailboxMessageRef current, CancellationToken cancellationToken)
        {
            // Never behind the message being imported: what lies before it was taken already.
            next = Math.Max(next, positions.GetValueOrDefault(current.Uid));
            if (mailbox.PrefetchRunning || mailbox.PrefetchedBytes >= ReadyBytes || mailbox.PrefetchedCount >= GroupCount)
            {
                return;
            }

            var group = new List<MailboxMessageRef>();
            long bytes = 0;
            while (next < refs.Count && group.Count < GroupCount)
            {
                var messageRef = refs[next];
                if (MailboxSession.IsSmall(messageRef))
                {
                    if (group.Count > 0 && bytes + messageRef.Size > GroupBytes)
                    {
                        break;
                    }

                    group.Add(messageRef);
                    bytes += messageRef.Size;
                }

                next++;
            }

            mailbox.StartPrefetch(group, cancellationToken);
        }
    }

    private async Task<ImportOutcome> ImportOneAsync(
        ObjectSession session, Pass pass, Fetched fetched, List<ImportLogEntry> entries, List<NotificationEvent> events, List<Failure> failures,
        CancellationToken cancellationToken)
    {
        var message = fetched.Message!;
        var uniqueId = DedupeKey(pass.Account.Id, message);
        var found = await session.FindAsync(pass.Runtime.ConversationMessage.Limetype, pass.Runtime.ConversationMessage.PropertyUniqueId, uniqueId, 1, cancellationToken);
        if (found.Count > 0)
        {
            // Committed before, \Seen lost (a crash or a dropped connection): finish the job.
            await fetched.DeleteStoredAsync(files);
            entries.Add(Entry(pass.Account.Id, message, ImportOutcome.Duplicate, "Already imported; marked seen.", null));
            return ImportOutcome.Duplicate;
        }

        await session.SavepointAsync("message", cancellationToken);
        try
        {
            await fetched.Storing;
            var context = new IncomingContext(pass.Account.Id, pass.Account.EmailAddress, pass.OwnAddresses, pass.Runtime, uniqueId, message, fetched.Stored);
            var result = await pass.Handler.HandleAsync(session, context, cancellationToken);
            if (NotificationEventFor(pass.Account.Id, message, result) is { } notification)
            {
                events.Add(notification);
            }

            entries.Add(Entry(pass.Account.Id, message, ImportOutcome.Imported,
                result.Notes.Count == 0 ? null : string.Join(" ", result.Notes), result));
            await session.ReleaseSavepointAsync("message", cancellationToken);
            return ImportOutcome.Imported;
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or MailboxException))
        {
            await session.RollbackToSavepointAsync("message", CancellationToken.None);
            await fetched.DeleteStoredAsync(files);

            // The raw bytes are kept now; the spool file goes when the batch ends.
            var raw = await files.SaveAsync("message.eml", message.WriteRawAsync, cancellationToken);
            failures.Add(new Failure(message, message.Ref, Reason(ex, pass.Application), raw));
            return ImportOutcome.Failed;
        }
    }

    /// <summary>
    /// The message's notifications, as one row in the import's transaction: committed with the
    /// message, expanded into emails by the outbox job (so the import does not render templates).
    /// </summary>
    private NotificationEvent? NotificationEventFor(Guid accountId, IncomingMessage message, HandlerResult result) =>
        result.ConversationId is { } conversationId && result.MessageRecordId is { } messageRecordId
            ? new NotificationEvent
            {
                AccountId = accountId,
                Kind = NotificationEventKind.Incoming,
                ConversationId = conversationId,
                MessageRecordId = messageRecordId,
                AuthorAddress = message.From?.Address,
                AuthorName = message.From?.Name,
                AutomaticReason = message.AutomaticReason,
                CreatedUtc = clock.GetUtcNow().UtcDateTime,
            }
            : null;

    /// <summary>Records a failed message with its raw bytes and moves it to the failure folder.</summary>
    private async Task FailAsync(Pass pass, Failure failure, CancellationToken cancellationToken)
    {
        var message = failure.Message;
        await using (var session = await store.OpenAsync(Actor, cancellationToken))
        {
            // Recorded already on an earlier pass whose move to the failure folder did not happen: only move it now.
            var recorded = await session.Db.Set<ImportLogEntry>().AnyAsync(
                e => e.AccountId == pass.Account.Id && e.MailboxId == failure.Ref.MailboxId && e.Outcome == ImportOutcome.Failed, cancellationToken);
            if (recorded)
            {
                if (failure.RawKey is not null)
                {
                    await files.DeleteAsync(failure.RawKey, CancellationToken.None);
                }

                await pass.Mailbox.MoveToFolderAsync(failure.Ref, pass.Account.FailureFolder, cancellationToken);
                return;
            }

            long? errorId = null;
            if (message is not null)
            {
                errorId = await session.CreateAsync("importerror", new Dictionary<string, object?>
                {
                    ["account"] = pass.Account.EmailAddress,
                    ["reason"] = failure.Reason,
                    ["subject"] = message.Subject.Length > 1000 ? message.Subject[..1000] : message.Subject,
                    ["fromaddress"] = message.From?.Address,
                    ["receiveddate"] = failure.Ref.InternalDate,
                    ["status"] = "failed",
                    ["rawmessage"] = failure.RawKey,
                }, cancellationToken);
            }

            var entry = message is null
                ? new ImportLogEntry { AccountId = pass.Account.Id, Utc = clock.GetUtcNow().UtcDateTime, Outcome = ImportOutcome.Failed, Reason = failure.Reason, MailboxId = failure.Ref.MailboxId }
                : Entry(pass.Account.Id, message, ImportOutcome.Failed, failure.Reason, null);
            entry.ImportErrorId = errorId;
            session.Db.Add(entry);
            await session.Db.SaveChangesAsync(cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        logger.LogWarning("Message {MailboxId} of account {Account} not imported: {Reason}", failure.Ref.MailboxId, pass.Account.EmailAddress, failure.Reason);
        await pass.Mailbox.MoveToFolderAsync(failure.Ref, pass.Account.FailureFolder, cancellationToken);
    }

    private async Task<bool> IsImportedAsync(RuntimeConfiguration runtime, string uniqueId, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(Actor, cancellationToken);
        var found = await session.FindAsync(runtime.ConversationMessage.Limetype, runtime.ConversationMessage.PropertyUniqueId, uniqueId, 1, cancellationToken);
        return found.Count > 0;
    }

    private ImportLogEntry Entry(Guid accountId, IncomingMessage message, ImportOutcome outcome, string? reason, HandlerResult? result) => new()
    {
        AccountId = accountId,
        Utc = clock.GetUtcNow().UtcDateTime,
        Outcome = outcome,
        Reason = reason,
        Subject = message.Subject.Length > 500 ? message.Subject[..500] : message.Subject,
        FromAddress = message.From?.Address,
        MessageId = message.MessageId,
        MailboxId = message.Ref.MailboxId,
        ConversationId = result?.ConversationId,
        MessageRecordId = result?.MessageRecordId,
    };

    /// <summary>
    /// The account plus the message's identity: its Message-ID with its sender (two senders may
    /// reuse one id), or the hash of its bytes when it has none.
    /// </summary>
    public static string DedupeKey(Guid accountId, IncomingMessage message)
    {
        var identity = message.MessageId is { } id
            ? $"mid:{id}|from:{message.From?.Address.ToLowerInvariant()}"
            : $"sha256:{message.ContentHash}";
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{accountId:N}|{identity}"))).ToLowerInvariant();
    }

    /// <summary>Counts bytes on their way to the store and stops at the attachment limit.</summary>
    private sealed class CountingStream(Stream inner, long remaining) : Stream
    {
        public long Written { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Length);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Count(int length)
        {
            Written += length;
            if (Written > remaining)
            {
                throw new AttachmentLimitException();
            }
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class AttachmentLimitException : Exception;
}

/// <summary>An import pass cannot start (a deleted account, an unknown handler); the message says what to fix.</summary>
public sealed class ImportStoppedException(string message) : Exception(message);
