namespace EmailIntegration.Core.Notifications;

public enum OutboxKind
{
    Notification,
    AutoReply,

    /// <summary>An agent's reply from the browser.</summary>
    Reply,

    /// <summary>A reminder to the administrators (an OAuth2 secret about to expire).</summary>
    Reminder,
}
