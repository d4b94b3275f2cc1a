using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Failed messages: recorded with their raw bytes and moved to the failure folder, and retried
/// from those bytes through the same per-message path as any import.
/// </summary>
internal sealed class FailedMessages(
    ObjectStore store, AccountService accounts, SettingsStore settings, ImportTargets targets, AccountLocks gates, MessageImport messages,
    AttachmentStorage attachments, IFileStore files, DataFolderOptions dataFolder, IOutboxSignal outboxSignal, TimeProvider clock, ILogger logger)
{
    /// <summary>Records a mailbox's failed message with its raw bytes and moves it to the failure folder.</summary>
    public async Task FailAsync(MailAccountSummary account, MailboxSession mailbox, Failure failure, CancellationToken cancellationToken)
    {
        await using (var session = await store.OpenAsync(ImportService.Actor, cancellationToken))
        {
            // Recorded already on an earlier pass whose move to the failure folder did not happen: only move it now.
            var recorded = await session.Records<ImportLogEntry>().AnyAsync(
                e => e.AccountId == account.Id && e.MailboxId == failure.Ref.MailboxId && e.Outcome == ImportOutcome.Failed, cancellationToken);
            if (recorded)
            {
                if (failure.RawKey is not null)
                {
                    await files.DeleteAsync(failure.RawKey, CancellationToken.None);
                }

                await mailbox.MoveToFolderAsync(failure.Ref, account.FailureFolder, cancellationToken);
                return;
            }

            await RecordAsync(session, account, failure, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        logger.LogWarning("Message {MailboxId} of account {Account} not imported: {Reason}", failure.Ref.MailboxId, account.EmailAddress, failure.Reason);
        await mailbox.MoveToFolderAsync(failure.Ref, account.FailureFolder, cancellationToken);
    }

    /// <summary>
    /// A failure's record in the session's transaction: every failure gets one, whatever could be read:
    /// the reason, the raw .eml when the bytes came, and a retry. Gives the failure record's id.
    /// </summary>
    public async Task<long> RecordAsync(ObjectSession session, MailAccountSummary account, Failure failure, CancellationToken cancellationToken)
    {
        var message = failure.Message;
        var errorId = await session.CreateAsync("importerror", new Dictionary<string, object?>
        {
            ["account"] = account.EmailAddress,
            ["reason"] = failure.Reason,
            ["subject"] = message?.Subject,
            ["fromaddress"] = message?.From?.Address,
            ["receiveddate"] = failure.Ref.InternalDate,
            ["status"] = "failed",
            ["rawmessage"] = failure.RawKey,
        }, cancellationToken);

        var entry = message is null
            ? new ImportLogEntry { AccountId = account.Id, Utc = clock.GetUtcNow().UtcDateTime, Outcome = ImportOutcome.Failed, Reason = failure.Reason, MailboxId = failure.Ref.MailboxId }
            : messages.Entry(account.Id, message, ImportOutcome.Failed, failure.Reason, null);
        entry.ImportErrorId = errorId;
        await session.AddRecordsAsync([entry], cancellationToken);
        return errorId;
    }

    /// <summary>
    /// Imports a failed message again from its stored raw bytes. On success the failure record says
    /// "imported"; on failure it keeps the new reason.
    /// </summary>
    public async Task<ImportOutcome> RetryAsync(long importErrorId, CancellationToken cancellationToken)
    {
        var failure = await store.GetAsync("importerror", importErrorId, cancellationToken)
            ?? throw new InvalidOperationException("The failure record does not exist.");
        var account = (await accounts.ListAsync(cancellationToken))
            .FirstOrDefault(a => string.Equals(a.EmailAddress, failure.Text("account"), StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"The account {failure.Text("account")} no longer exists.");
        using (await gates.AcquireAsync(account.Id, cancellationToken))
        {
            var target = await targets.GetAsync(account.Id, notify: true, cancellationToken);
            var received = failure["receiveddate"] is DateTime d ? new DateTimeOffset(d, TimeSpan.Zero) : clock.GetUtcNow();
            await using var message = await ReadRawAsync(failure.Text("rawmessage"), received, cancellationToken);
            var fetched = attachments.Prepare(message, target.Application, cancellationToken);
            Exception error;
            try
            {
                await using var session = await store.OpenAsync(ImportService.Actor, cancellationToken);
                var outcome = await messages.ImportAsync(session, target, fetched, "Imported on retry of a failed message.", cancellationToken);
                if (outcome.Error is null)
                {
                    await session.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?> { ["status"] = "imported" }, cancellationToken);
                    await session.InsertRecordsAsync<ImportLogEntry>(outcome.Entry is { } entry ? [entry] : [], cancellationToken);
                    await session.InsertRecordsAsync<NotificationEvent>(outcome.Event is { } notification ? [notification] : [], cancellationToken);
                    await session.CommitAsync(cancellationToken);
                    if (outcome.Outcome == ImportOutcome.Imported)
                    {
                        outboxSignal.Wake();
                    }

                    return outcome.Outcome;
                }

                error = outcome.Error;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not committed: nothing of it stays, its attachments included.
                await fetched.DeleteStoredAsync(files);
                error = ex;
            }

            await store.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?>
            {
                ["status"] = "retried",
                ["reason"] = $"Retried {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC: {MessageImport.Reason(error, target.Application)}",
            }, ImportService.Actor, CancellationToken.None);
            return ImportOutcome.Failed;
        }
    }

    /// <summary>The failure's raw bytes from the file store, spooled and read as a message.</summary>
    private async Task<IncomingMessage> ReadRawAsync(string? rawKey, DateTimeOffset received, CancellationToken cancellationToken)
    {
        var spool = Path.Combine(dataFolder.FullDataPath, "spool", $"{Guid.NewGuid():N}.eml");
        Directory.CreateDirectory(Path.GetDirectoryName(spool)!);
        await using (var raw = await files.OpenAsync(rawKey ?? "", cancellationToken)
            ?? throw new InvalidOperationException("The raw message of this failure is missing from the file store."))
        await using (var target = File.Create(spool))
        {
            await raw.CopyToAsync(target, cancellationToken);
        }

        return await MessageReader.ReadAsync(spool, new MailboxMessageRef(0, 0, received, new FileInfo(spool).Length), cancellationToken);
    }

    /// <summary>Failures recovery retries: not imported yet, received within max_import_age_for_failed_messages.</summary>
    public async Task<IReadOnlyList<long>> ToRetryAsync(CancellationToken cancellationToken)
    {
        var application = await settings.GetApplicationAsync(cancellationToken);
        var since = clock.GetUtcNow().AddDays(-application.MaxImportAgeForFailedMessages);
        var filter = Crm.Query.Filter.And(
            Crm.Query.Filter.NotEq("status", "imported"),
            Crm.Query.Filter.Gte("receiveddate", since.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        var rows = await store.QueryAsync(new Crm.Query.LimeQuery("importerror") { Filter = filter, Limit = 1000, Columns = [Crm.Schema.CrmSchema.IdKey] },
            Crm.Query.QueryContext.Anonymous, cancellationToken);
        return rows.Select(r => r.Id).ToList();
    }
}
