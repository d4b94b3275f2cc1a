namespace EmailIntegration.Core.Import;

/// <summary>Where a batch's messages come from: a mailbox's messages taken ahead, or an archive's entries.</summary>
internal interface IMessageSource
{
    /// <summary>The messages not taken yet.</summary>
    int Remaining { get; }

    Task<Fetched> TakeAsync();
}
