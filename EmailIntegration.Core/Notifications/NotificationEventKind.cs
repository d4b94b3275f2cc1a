namespace EmailIntegration.Core.Notifications;

public enum NotificationEventKind
{
    /// <summary>A message arrived in a conversation.</summary>
    Incoming,

    /// <summary>An agent replied from the browser; the recipients are chosen.</summary>
    AgentReply,
}
