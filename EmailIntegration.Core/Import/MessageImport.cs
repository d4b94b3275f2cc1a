using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>How one message ended: its log entry and notification when imported, the exception when it failed.</summary>
internal sealed record MessageOutcome(ImportOutcome Outcome, ImportLogEntry? Entry = null, NotificationEvent? Event = null, Exception? Error = null);

/// <summary>
/// The one path a message takes into records, whether it comes from a mailbox, an archive or the
/// retry of a failure: dedupe, then the handler and the inbox index under a savepoint of its own, so
/// a message that fails is rolled back alone and the rest of its transaction goes on.
/// </summary>
internal sealed class MessageImport(IFileStore files, Inbox.InboxRecorder inbox, TimeProvider clock)
{
    /// <param name="lead">Said first in an imported message's log entry (why it was imported now), or null.</param>
    public async Task<MessageOutcome> ImportAsync(ObjectSession session, ImportTarget target, Fetched fetched, string? lead, CancellationToken cancellationToken)
    {
        var message = fetched.Message!;
        var identity = await MessageIdentity.IdentifyAsync(session, target.Runtime, target.Account.Id, message, async () =>
        {
            await fetched.SettleAsync();
            return fetched.Storing.IsCompletedSuccessfully ? fetched.Stored : null;
        }, cancellationToken);
        if (identity.Duplicate)
        {
            // Committed before, \Seen lost (a crash or a dropped connection), or delivered again: nothing to write.
            await fetched.DeleteStoredAsync(files);
            return new MessageOutcome(ImportOutcome.Duplicate);
        }

        await session.SavepointAsync("message", cancellationToken);
        try
        {
            ThrowIfRefused(message);
            await fetched.Storing;
            var context = new IncomingContext(target.Account.Id, target.Account.EmailAddress, target.OwnAddresses, target.Runtime, identity.UniqueId, message,
                fetched.Stored, identity.Fingerprint ?? MessageIdentity.ContentFingerprint(message, fetched.Stored));
            var result = await target.Handler.HandleAsync(session, context, cancellationToken);
            await inbox.RecordAsync(session, context, result, cancellationToken);
            await session.ReleaseSavepointAsync("message", cancellationToken);

            string?[] notes = [lead, identity.Note, .. result.Notes];
            var note = string.Join(" ", notes.OfType<string>());
            return new MessageOutcome(
                ImportOutcome.Imported,
                Entry(target.Account.Id, message, ImportOutcome.Imported, note.Length == 0 ? null : note, result),
                target.Notify ? EventFor(target.Account.Id, message, result) : null);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or MailboxException))
        {
            await session.RollbackToSavepointAsync("message", CancellationToken.None);
            await fetched.DeleteStoredAsync(files);
            return new MessageOutcome(ImportOutcome.Failed, Error: ex);
        }
    }

    public ImportLogEntry Entry(Guid accountId, IncomingMessage message, ImportOutcome outcome, string? reason, HandlerResult? result) => new()
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
    /// The message's notifications, as one row in the import's transaction: committed with the
    /// message, expanded into emails by the outbox job (so the import does not render templates).
    /// </summary>
    private NotificationEvent? EventFor(Guid accountId, IncomingMessage message, HandlerResult result) =>
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

    /// <summary>Why a message failed, as its failure record says it.</summary>
    public static string Reason(Exception ex, ApplicationConfiguration application) => ex switch
    {
        AttachmentLimitException => $"The attachments exceed {application.AttachmentMaxSizeMb} MB (attachment_max_size_mb); the message was not imported.",
        MessageRefusedException => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>A message the reader refused unparsed (its header past the limits) fails like any other, with the reader's reason.</summary>
    private static void ThrowIfRefused(IncomingMessage message)
    {
        if (message.Refusal is { } refusal)
        {
            throw new MessageRefusedException(refusal);
        }
    }

    private sealed class MessageRefusedException(string reason) : Exception(reason);
}
