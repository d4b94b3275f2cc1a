namespace EmailIntegration.Core.Import;

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
