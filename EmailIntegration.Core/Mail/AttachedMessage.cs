namespace EmailIntegration.Core.Mail;

/// <summary>
/// An email carried by another one, read from its stored .eml for the thread: its own sender, date,
/// sanitized body and files, and the messages it carries in turn (up to <see cref="AttachedMessages.MaxDepth"/>).
/// </summary>
public sealed record AttachedMessage(
    string Path, string? Subject, MessageAddress? From, IReadOnlyList<MessageAddress> To, DateTimeOffset? Date, SafeHtml Body, string? Signature,
    IReadOnlyList<AttachedFile> Files, IReadOnlyList<AttachedMessage> Messages);
