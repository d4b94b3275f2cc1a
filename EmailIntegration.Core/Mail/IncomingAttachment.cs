namespace EmailIntegration.Core.Mail;

/// <summary>A file carried by a message; its bytes are written out on demand, never held in memory.</summary>
/// <remarks><paramref name="IsMessage"/>: an email the message carries (forwarded as attachment, in a digest or a report), stored as its .eml.</remarks>
public sealed record IncomingAttachment(
    string FileName, string ContentType, string? ContentId, bool IsInline, Func<Stream, CancellationToken, Task> WriteToAsync, bool IsMessage = false);
