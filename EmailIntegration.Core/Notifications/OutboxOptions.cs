namespace EmailIntegration.Core.Notifications;

/// <summary>Sending and loop safety (<c>EmailIntegration:Outbox</c>).</summary>
public sealed class OutboxOptions
{
    public const string Section = "EmailIntegration:Outbox";

    /// <summary>False stops sending (rows still queue); tests that only look at the outbox turn it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the send job looks for due retries when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The first retry's delay; it doubles per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>After this many failed attempts a message is marked failed (about a day with the defaults).</summary>
    public int MaxAttempts { get; set; } = 30;

    /// <summary>At most this many auto-replies to one address per <see cref="AutoReplyWindow"/>.</summary>
    public int AutoReplyLimit { get; set; } = 3;

    public TimeSpan AutoReplyWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Mail older than this gets no auto-reply (a mailbox connected with a backlog, a late retry).</summary>
    public TimeSpan AutoReplyMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// At most this many notifications to one address about one conversation per
    /// <see cref="AutoReplyWindow"/>: two auto-responders that do not say so cannot loop for ever.
    /// </summary>
    public int NotificationLimit { get; set; } = 20;

    /// <summary>A claim older than this was interrupted (a stopped process): the row is set aside, never sent again by itself.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan RetryDelayFor(int attempts)
    {
        var factor = Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        // Compared as ticks so a long first delay cannot overflow TimeSpan.
        return RetryDelay.Ticks * factor >= MaxRetryDelay.Ticks ? MaxRetryDelay : TimeSpan.FromTicks((long)(RetryDelay.Ticks * factor));
    }
}
