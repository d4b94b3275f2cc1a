using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Import;

/// <summary>An attachment already written to the file store, with the SHA-256 of its bytes.</summary>
public sealed record StoredAttachment(IncomingAttachment Attachment, string Key, long Length, string Sha256 = "");
