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

    public TimeSpan RetryDelayFor(int attempts)
    {
        var delay = RetryDelay * Math.Pow(2, Math.Clamp(attempts - 1, 0, 30));
        return delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }
}

/// <summary>Wakes the send job after rows are committed, so mail leaves in seconds rather than at the next poll.</summary>
public interface IOutboxSignal
{
    void Wake();
}

/// <summary>For hosts without the job (tools, benchmarks): nothing to wake.</summary>
public sealed class NoOutboxSignal : IOutboxSignal
{
    public void Wake()
    {
    }
}
