namespace EmailIntegration.Core.Import;

public enum ImportOutcome
{
    Imported,

    /// <summary>Already imported (a dedupe hit): only marked seen.</summary>
    Duplicate,

    /// <summary>Moved to the failure folder with its reason and raw message.</summary>
    Failed,
}

/// <summary>What happened to one message, for the Logs tab.</summary>
public sealed class ImportLogEntry
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public DateTime Utc { get; set; }

    public ImportOutcome Outcome { get; set; }

    public string? Reason { get; set; }

    public string? Subject { get; set; }

    public string? FromAddress { get; set; }

    public string? MessageId { get; set; }

    public string? MailboxId { get; set; }

    public long? ConversationId { get; set; }

    public long? MessageRecordId { get; set; }

    public long? ImportErrorId { get; set; }
}

/// <summary>One import pass over an account's INBOX and how it ended.</summary>
public sealed class ImportRun
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public string Trigger { get; set; } = "";

    public DateTime StartedUtc { get; set; }

    public DateTime? FinishedUtc { get; set; }

    public int Imported { get; set; }

    public int Duplicates { get; set; }

    public int Failed { get; set; }

    /// <summary>Why the run stopped early (connection, sign-in), or null when it went through.</summary>
    public string? Error { get; set; }
}
