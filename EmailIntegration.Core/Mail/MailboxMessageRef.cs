namespace EmailIntegration.Core.Mail;

/// <summary>Where a message sits in a mailbox: stable while UIDVALIDITY stays the same.</summary>
/// <param name="ArchiveId">For a message read from an uploaded archive: its place there (<c>archive:7:120</c>) instead of a UID.</param>
public sealed record MailboxMessageRef(uint UidValidity, uint Uid, DateTimeOffset InternalDate, long Size, string? ArchiveId = null)
{
    /// <summary>The mailbox's own identity of the message, as <c>emailengineid</c> records it.</summary>
    public string MailboxId => ArchiveId ?? $"{UidValidity}:{Uid}";
}
