namespace EmailIntegration.Core.Import;

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

