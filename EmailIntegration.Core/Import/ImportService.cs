using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
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
public sealed partial class ImportService(
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
    Inbox.InboxRecorder inbox,
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
            var target = await TargetAsync(accountId, notify: true, cancellationToken);
            var account = target.Account;
            var application = target.Application;
            var credential = await credentials.GetAsync(accountId, false, cancellationToken);
            var server = account.ImapServer(providers.Value);

            await using var mailbox = await MailboxSession.OpenAsync(server, credential, tls.Value, Path.Combine(dataFolder.FullDataPath, "spool"), cancellationToken);
            var unseen = await mailbox.ListUnseenAsync(cancellationToken);
            if (trigger == ImportTrigger.Recovery)
            {
                var cutoff = clock.GetUtcNow() - TimeSpan.FromMinutes(application.VacuumCleanerGracePeriod);
                unseen = unseen.Where(m => m.InternalDate <= cutoff).ToList();
            }

            var pass = new Pass(target, mailbox, new Lookahead(mailbox, unseen));
            var ahead = new TakenAhead(unseen, mailbox, messageRef => FetchAsync(pass, messageRef, cancellationToken));
            try
            {
                while (ahead.Remaining > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var outcomes = await ImportBatchAsync(pass.Target, ahead, new MailboxBatchEnd(this, pass), cancellationToken);
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

    /// <summary>What every message of a pass is imported into and with, whatever the messages come from.</summary>
    /// <param name="Notify">False for mail imported from an archive: old mail notifies no follower.</param>
    private sealed record Target(
        MailAccountSummary Account, RuntimeConfiguration Runtime, ApplicationConfiguration Application,
        IIncomingMessageHandler Handler, IReadOnlySet<string> OwnAddresses, bool Notify);

    private sealed record Pass(Target Target, MailboxSession Mailbox, Lookahead Lookahead)
    {
        public MailAccountSummary Account => Target.Account;

        public ApplicationConfiguration Application => Target.Application;
    }

    private async Task<Target> TargetAsync(Guid accountId, bool notify, CancellationToken cancellationToken)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken) ?? throw new ImportStoppedException("The account was deleted.");
        var application = await settings.GetApplicationAsync(cancellationToken);
        var runtime = await settings.GetRuntimeAsync(cancellationToken);
        var handler = handlers.FirstOrDefault(h => h.Name == application.IncomingMessageWebhookTask)
            ?? throw new ImportStoppedException(
                $"No message handler is registered as \"{application.IncomingMessageWebhookTask}\"; set incoming_message_webhook_task to {ApplicationConfiguration.BuiltInHandler} or a registered handler.");
        var ownAddresses = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return new Target(account, runtime, application, handler, ownAddresses, notify);
    }

    /// <summary>A message that failed inside a batch: a mailbox's is recorded after the commit, an archive's in the batch's transaction.</summary>
    private sealed record Failure(IncomingMessage? Message, MailboxMessageRef Ref, string Reason, string? RawKey);

    /// <summary>
    /// Imports the next batch (at most BatchSize messages, and no more once BatchTime has passed) in
    /// one transaction with a savepoint per message: a message that fails is rolled back alone and
    /// recorded after the commit; the others commit together, and only then are they flagged \Seen,
    /// in one command. A crash before the commit leaves the whole batch unseen (imported
    /// again next time); a crash after it leaves dedupe hits. <paramref name="end"/> says what the
    /// source does around the commit (a mailbox: \Seen and failures after it; an archive: its position and failures in it).
    /// </summary>
    private async Task<List<ImportOutcome>> ImportBatchAsync(Target pass, IMessageSource ahead, IBatchEnd end, CancellationToken cancellationToken)
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

            foreach (var message in messages)
            {
                await message.DisposeAsync();
            }
        }

        return outcomes.Where(o => o != ImportOutcome.Failed).Concat(Enumerable.Repeat(ImportOutcome.Failed, failures.Count)).ToList();
    }

    private async Task<ImportOutcome> ImportOneAsync(
        ObjectSession session, Target pass, Fetched fetched, List<ImportLogEntry> entries, List<NotificationEvent> events, List<Failure> failures,
        CancellationToken cancellationToken)
    {
        var message = fetched.Message!;
        var identity = await IdentifyAsync(session, pass.Runtime, pass.Account.Id, message, async () =>
        {
            await fetched.SettleAsync();
            return fetched.Storing.IsCompletedSuccessfully ? fetched.Stored : null;
        }, cancellationToken);
        if (identity.Duplicate)
        {
            // Committed before, \Seen lost (a crash or a dropped connection), or delivered again: finish the job.
            await fetched.DeleteStoredAsync(files);
            entries.Add(Entry(pass.Account.Id, message, ImportOutcome.Duplicate, "Already imported; marked seen.", null));
            return ImportOutcome.Duplicate;
        }

        await session.SavepointAsync("message", cancellationToken);
        try
        {
            ThrowIfRefused(message);
            await fetched.Storing;
            var context = new IncomingContext(pass.Account.Id, pass.Account.EmailAddress, pass.OwnAddresses, pass.Runtime, identity.UniqueId, message, fetched.Stored,
                identity.Fingerprint ?? ContentFingerprint(message, fetched.Stored));
            var result = await pass.Handler.HandleAsync(session, context, cancellationToken);
            await inbox.RecordAsync(session, context, result, cancellationToken);
            if (pass.Notify && NotificationEventFor(pass.Account.Id, message, result) is { } notification)
            {
                events.Add(notification);
            }

            var notes = identity.Note is null ? result.Notes : [identity.Note, .. result.Notes];
            entries.Add(Entry(pass.Account.Id, message, ImportOutcome.Imported, notes.Count == 0 ? null : string.Join(" ", notes), result));
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
}

/// <summary>An import pass cannot start (a deleted account, an unknown handler); the message says what to fix.</summary>
public sealed class ImportStoppedException(string message) : Exception(message);
