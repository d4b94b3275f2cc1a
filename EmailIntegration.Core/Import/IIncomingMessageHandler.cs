using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>An attachment already written to the file store, with the SHA-256 of its bytes.</summary>
public sealed record StoredAttachment(IncomingAttachment Attachment, string Key, long Length, string Sha256 = "");

/// <summary>
/// Everything a handler needs to turn one message into records. <c>ContentFingerprint</c> identifies
/// the content (normalized bodies and attachment hashes), so a reused Message-ID with other content is told apart.
/// </summary>
public sealed record IncomingContext(
    Guid AccountId,
    string AccountAddress,
    IReadOnlySet<string> OwnAddresses,
    RuntimeConfiguration Configuration,
    string UniqueId,
    IncomingMessage Message,
    IReadOnlyList<StoredAttachment> Attachments,
    string? ContentFingerprint = null);

/// <summary>What a handler created, and anything worth a line in the import log.</summary>
public sealed record HandlerResult(long? ConversationId, long? MessageRecordId, IReadOnlyList<string> Notes);

/// <summary>
/// Turns an incoming message into records inside the import's transaction. The application
/// configuration's <c>incoming_message_webhook_task</c> names the one that runs; the built-in
/// importer is the default. A handler that throws fails the message (failure folder), never the account.
/// </summary>
public interface IIncomingMessageHandler
{
    string Name { get; }

    Task<HandlerResult> HandleAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken);
}
