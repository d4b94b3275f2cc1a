namespace EmailIntegration.Core.Inbox;

/// <summary>The text of one message that "Search all mail" finds it by.</summary>
public sealed record MailSearchText(string? Subject, string? Body, string? FromName, string? FromAddress, IReadOnlyList<string> FileNames)
{
    /// <summary>A body is indexed up to here (the size of the longest field the product takes), so one huge mail cannot hold a transaction.</summary>
    public const int MaxBodyLength = 200_000;
}
