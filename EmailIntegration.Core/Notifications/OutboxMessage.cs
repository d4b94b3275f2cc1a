namespace EmailIntegration.Core.Notifications;

public enum TemplateKind
{
    /// <summary>Sent to followers when a conversation gets a new message.</summary>
    Notification,

    /// <summary>Sent to each follower on a conversation's first message.</summary>
    AutoReply,
}

/// <summary>An HTML template with merge codes, for one account and language or for all of them (null).</summary>
public sealed class NotificationTemplate
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public TemplateKind Kind { get; set; }

    public Guid? AccountId { get; set; }

    /// <summary>A language code such as <c>en</c> or <c>sv</c>, matched against the conversation's language.</summary>
    public string? Language { get; set; }

    public required string Html { get; set; }

    public DateTime UpdatedUtc { get; set; }
}

public enum OutboxKind
{
    Notification,
    AutoReply,

    /// <summary>An agent's reply from the browser.</summary>
    Reply,

    /// <summary>A reminder to the administrators (an OAuth2 secret about to expire).</summary>
    Reminder,
}

public enum OutboxState
{
    Queued,

    /// <summary>Claimed by a sender; a row left here by a stopped process is not sent again by itself.</summary>
    Sending,
    Sent,

    /// <summary>A transient failure; sent again at <see cref="OutboxMessage.NextAttemptUtc"/>.</summary>
    Retrying,

    /// <summary>Refused for good, out of attempts, or interrupted mid-send; only an admin's resend sends it.</summary>
    Failed,
}

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

public sealed class OutboxRecipient
{
    public long Id { get; set; }

    public Guid OutboxMessageId { get; set; }

    /// <summary>Lower case, so the auto-reply cap counts one address once.</summary>
    public required string Address { get; set; }

    public string? Name { get; set; }
}

public enum NotificationEventKind
{
    /// <summary>A message arrived in a conversation.</summary>
    Incoming,

    /// <summary>An agent replied from the browser; the recipients are chosen.</summary>
    AgentReply,
}

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

/// <summary>A reminder sent about an OAuth2 secret, so each threshold is mailed once per expiry date.</summary>
public sealed class SecretReminder
{
    public Guid ApplicationId { get; set; }

    public int DaysBefore { get; set; }

    public DateTime ExpiresOn { get; set; }

    public DateTime SentUtc { get; set; }
}
