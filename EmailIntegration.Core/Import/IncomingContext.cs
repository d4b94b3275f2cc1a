using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

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
