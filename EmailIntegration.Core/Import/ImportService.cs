using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>
/// One import pass over an account's INBOX: every unseen message becomes records in one
/// transaction, and only after the commit is it flagged \Seen. A message that cannot be imported
/// is recorded with its reason and raw bytes and moved to the failure folder; it never stops the
/// pass. A crash between commit and \Seen is a dedupe hit next time, never a duplicate. Archives
/// and the retry of a failure go through the same per-message path (<see cref="MessageImport"/>).
/// </summary>
public sealed class ImportService
{
    public const string Actor = "email-import";

    /// <summary>The conversation message property that keeps a message's content fingerprint.</summary>
    public const string ContentHashProperty = "contenthash";

    private readonly IDbContextFactory<AppDbContext> dbFactory;
    private readonly AccountService accounts;
    private readonly AccountCredentials credentials;
    private readonly IFileStore files;
    private readonly IOptions<OAuthProviderOptions> providers;
    private readonly IOptions<TlsOptions> tls;
    private readonly DataFolderOptions dataFolder;
    private readonly TimeProvider clock;
    private readonly ILogger<ImportService> logger;
    private readonly AccountLocks gates = new();
    private readonly ImportTargets targets;
    private readonly AttachmentStorage attachments;
    private readonly BatchImport batches;
    private readonly FailedMessages failed;

    public ImportService(
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
        this.dbFactory = dbFactory;
        this.accounts = accounts;
        this.credentials = credentials;
        this.files = files;
        this.providers = providers;
        this.tls = tls;
        this.dataFolder = dataFolder;
        this.clock = clock;
        this.logger = logger;
        targets = new ImportTargets(accounts, settings, handlers);
        attachments = new AttachmentStorage(files);
        var messages = new MessageImport(files, inbox, clock);
        batches = new BatchImport(store, files, messages, importOptions, outboxSignal, clock);
        failed = new FailedMessages(store, accounts, settings, targets, gates, messages, attachments, files, dataFolder, outboxSignal, clock, logger);
    }

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

    /// <summary>A pass over a connection of its own (an admin's or the recovery's), signed in for it and closed after it.</summary>
    public Task<ImportRun> ImportAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken = default) =>
        ImportAsync(accountId, trigger, null, cancellationToken);

    /// <summary>
    /// A pass over <paramref name="mailbox"/> when given: the inbox watcher's own connection, whose INBOX is
    /// selected already when its IDLE ends, so new mail costs no sign-in. The connection stays open after the pass.
    /// </summary>
    public async Task<ImportRun> ImportAsync(Guid accountId, ImportTrigger trigger, MailboxSession? mailbox, CancellationToken cancellationToken = default)
    {
        // Never two passes at once for one account in this process (the watcher's and an admin's, say).
        using (await gates.AcquireAsync(accountId, cancellationToken))
        {
            return await RunAsync(accountId, trigger, mailbox, cancellationToken);
        }
    }

    private async Task<ImportRun> RunAsync(Guid accountId, ImportTrigger trigger, MailboxSession? connected, CancellationToken cancellationToken)
    {
        var run = new ImportRun { AccountId = accountId, Trigger = trigger.ToString(), StartedUtc = clock.GetUtcNow().UtcDateTime };
        try
        {
            var target = await targets.GetAsync(accountId, notify: true, cancellationToken);
            await using var opened = connected is null ? await OpenAsync(target, cancellationToken) : null;
            var mailbox = connected ?? opened!;
            var unseen = await mailbox.ListUnseenAsync(cancellationToken);
            if (trigger == ImportTrigger.Recovery)
            {
                var cutoff = clock.GetUtcNow() - TimeSpan.FromMinutes(target.Application.VacuumCleanerGracePeriod);
                unseen = unseen.Where(m => m.InternalDate <= cutoff).ToList();
            }

            await using var prefetcher = new MessagePrefetcher(mailbox, unseen, cancellationToken);
            var source = new MailboxSource(prefetcher, attachments, target.Application, cancellationToken);
            var end = new MailboxBatchEnd(failed, target.Account, mailbox);
            try
            {
                while (source.Remaining > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var outcomes = await batches.ImportAsync(target, source, end, cancellationToken);
                    run.Imported += outcomes.Count(o => o == ImportOutcome.Imported);
                    run.Duplicates += outcomes.Count(o => o == ImportOutcome.Duplicate);
                    run.Failed += outcomes.Count(o => o == ImportOutcome.Failed);
                }

                await mailbox.FlushAsync();
            }
            finally
            {
                // Taken from the mailbox but not imported (the pass stopped): let go, with any attachments stored for them.
                await source.DiscardAsync(files);
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
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else (the database too busy, say) stops the pass too; its run says so, and the caller hears of it.
            run.Error = $"{ex.GetType().Name}: {ex.Message}";
            throw;
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

    private async Task<MailboxSession> OpenAsync(ImportTarget target, CancellationToken cancellationToken)
    {
        var credential = await credentials.GetAsync(target.Account.Id, false, cancellationToken);
        var server = target.Account.ImapServer(providers.Value);
        return await MailboxSession.OpenAsync(server, credential, tls.Value, Path.Combine(dataFolder.FullDataPath, "spool"), cancellationToken);
    }

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
        var target = await targets.GetAsync(accountId, notify: false, cancellationToken);
        var source = new ArchiveSource(reader, from, attachments, target.Application, cancellationToken);
        var end = new ArchiveBatchEnd(failed, target, source, save, committed);
        try
        {
            while (source.Remaining > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using (await gates.AcquireAsync(accountId, cancellationToken))
                {
                    await batches.ImportAsync(target, source, end, cancellationToken);
                }
            }
        }
        finally
        {
            await source.DiscardAsync(files);
        }
    }

    /// <summary>
    /// Imports a failed message again from its stored raw bytes (the retry button, and recovery for
    /// failures younger than max_import_age_for_failed_messages), through the import's own per-message path.
    /// </summary>
    public Task<ImportOutcome> RetryFailedAsync(long importErrorId, CancellationToken cancellationToken = default) =>
        failed.RetryAsync(importErrorId, cancellationToken);

    /// <summary>Failures recovery retries: not imported yet, received within max_import_age_for_failed_messages.</summary>
    public Task<IReadOnlyList<long>> FailuresToRetryAsync(CancellationToken cancellationToken = default) =>
        failed.ToRetryAsync(cancellationToken);

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
