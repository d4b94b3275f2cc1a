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

/// <summary>Failed messages: recorded with their raw bytes and moved to the failure folder, retried from those bytes.</summary>
public sealed partial class ImportService
{
    /// <summary>Records a failed message with its raw bytes and moves it to the failure folder.</summary>
    private async Task FailAsync(Pass pass, Failure failure, CancellationToken cancellationToken)
    {
        await using (var session = await store.OpenAsync(Actor, cancellationToken))
        {
            // Recorded already on an earlier pass whose move to the failure folder did not happen: only move it now.
            var recorded = await session.Records<ImportLogEntry>().AnyAsync(
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

            await RecordFailureAsync(session, pass.Account, failure, cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        logger.LogWarning("Message {MailboxId} of account {Account} not imported: {Reason}", failure.Ref.MailboxId, pass.Account.EmailAddress, failure.Reason);
        await pass.Mailbox.MoveToFolderAsync(failure.Ref, pass.Account.FailureFolder, cancellationToken);
    }

    /// <summary>
    /// A failure's record in the session's transaction: every failure gets one, whatever could be read:
    /// the reason, the raw .eml when the bytes came, and a retry. Gives the failure record's id.
    /// </summary>
    private async Task<long> RecordFailureAsync(ObjectSession session, MailAccountSummary account, Failure failure, CancellationToken cancellationToken)
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
            : Entry(account.Id, message, ImportOutcome.Failed, failure.Reason, null);
        entry.ImportErrorId = errorId;
        await session.AddRecordsAsync([entry], cancellationToken);
        return errorId;
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
            var stored = new List<StoredAttachment>();
            var storing = (Task?)null;
            async Task StoreAsync()
            {
                storing ??= StoreAttachmentsAsync(message, application, stored, cancellationToken);
                await storing;
            }

            try
            {
                await using var session = await store.OpenAsync(Actor, cancellationToken);
                var identity = await IdentifyAsync(session, runtime, account.Id, message, async () =>
                {
                    try
                    {
                        await StoreAsync();
                        return stored;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        return null;
                    }
                }, cancellationToken);
                if (identity.Duplicate)
                {
                    await session.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?> { ["status"] = "imported" }, cancellationToken);
                    await session.CommitAsync(cancellationToken);
                    await DeleteAsync(stored);
                    return ImportOutcome.Duplicate;
                }

                ThrowIfRefused(message);
                await StoreAsync();

                var ownAddresses = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var context = new IncomingContext(account.Id, account.EmailAddress, ownAddresses, runtime, identity.UniqueId, message, stored,
                    identity.Fingerprint ?? ContentFingerprint(message, stored));
                var result = await handler.HandleAsync(session, context, cancellationToken);
                await inbox.RecordAsync(session, context, result, cancellationToken);
                var records = new List<object>();
                if (NotificationEventFor(account.Id, message, result) is { } notification)
                {
                    records.Add(notification);
                }

                await session.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?> { ["status"] = "imported" }, cancellationToken);
                var note = identity.Note is null ? "Imported on retry of a failed message." : $"Imported on retry of a failed message. {identity.Note}";
                records.Add(Entry(account.Id, message, ImportOutcome.Imported, note, result));
                await session.AddRecordsAsync(records, cancellationToken);
                await session.CommitAsync(cancellationToken);
                outboxSignal.Wake();
                return ImportOutcome.Imported;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await DeleteAsync(stored);

                await store.UpdateAsync("importerror", importErrorId, new Dictionary<string, object?>
                {
                    ["status"] = "retried",
                    ["reason"] = $"Retried {clock.GetUtcNow():yyyy-MM-dd HH:mm} UTC: {Reason(ex, application)}",
                }, Actor, CancellationToken.None);
                return ImportOutcome.Failed;
            }
        }
    }

    private async Task DeleteAsync(IEnumerable<StoredAttachment> stored)
    {
        foreach (var file in stored)
        {
            await files.DeleteAsync(file.Key, CancellationToken.None);
        }
    }

    /// <summary>Failures recovery retries: not imported yet, received within max_import_age_for_failed_messages.</summary>
    public async Task<IReadOnlyList<long>> FailuresToRetryAsync(CancellationToken cancellationToken = default)
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
