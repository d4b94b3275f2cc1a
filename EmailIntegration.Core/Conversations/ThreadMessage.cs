using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Conversations;

public sealed record ThreadMessage(
    long Id, string? FromAddress, string? FromName, DateTime? Date, SafeHtml Body, bool IsRead, bool Incoming, bool Automatic,
    IReadOnlyList<ThreadAttachment> Attachments, bool Internal = false, IReadOnlyList<ThreadAttachedMessage>? AttachedMessages = null, bool CarriesSignature = false);
