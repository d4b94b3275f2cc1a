namespace EmailIntegration.Core.Notifications;

/// <summary>
/// "This message needs notifications", written in the same transaction as the message, so a
/// committed message is never left without its notifications and the import stays fast; the
/// outbox job turns it into emails.
/// </summary>
public sealed class NotificationEvent
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public NotificationEventKind Kind { get; set; }

    public long ConversationId { get; set; }

    public long MessageRecordId { get; set; }

    public string? AuthorAddress { get; set; }

    public string? AuthorName { get; set; }

    public string? AutomaticReason { get; set; }

    /// <summary>For agent replies: the chosen recipients' addresses, one per line.</summary>
    public string? Recipients { get; set; }

    public DateTime CreatedUtc { get; set; }

    /// <summary>Failed tries to expand it (a busy database, say); it stays pending until a few have failed.</summary>
    public int Attempts { get; set; }

    public DateTime? ProcessedUtc { get; set; }

    /// <summary>What came of it, for the Logs tab ("2 notifications", "automatic mail: none").</summary>
    public string? Outcome { get; set; }
}
