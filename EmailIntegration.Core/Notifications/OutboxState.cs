namespace EmailIntegration.Core.Notifications;

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
