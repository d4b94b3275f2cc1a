namespace EmailIntegration.Core.Notifications;

/// <summary>An outgoing email, persisted before anything is sent.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid AccountId { get; set; }

    public OutboxKind Kind { get; set; }

    /// <summary>Our own Message-ID, without angle brackets.</summary>
    public required string MessageId { get; set; }

    public required string FromAddress { get; set; }

    public string? FromName { get; set; }

    public required string Subject { get; set; }

    public required string Html { get; set; }

    public string? InReplyTo { get; set; }

    /// <summary>Message-IDs separated by spaces.</summary>
    public string? References { get; set; }

    public string? AutoSubmitted { get; set; }

    /// <summary>File-store keys and names of attachments, one <c>key|name</c> per line.</summary>
    public string? Attachments { get; set; }

    public long? ConversationId { get; set; }

    public long? MessageRecordId { get; set; }

    public OutboxState State { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime NextAttemptUtc { get; set; }

    /// <summary>When a sender claimed it (state Sending); a claim older than the lease was interrupted.</summary>
    public DateTime? ClaimedUtc { get; set; }

    public DateTime? SentUtc { get; set; }

    public string? LastError { get; set; }

    public List<OutboxRecipient> Recipients { get; set; } = [];
}
