namespace EmailIntegration.Core.Notifications;

public enum TemplateKind
{
    /// <summary>Sent to followers when a conversation gets a new message.</summary>
    Notification,

    /// <summary>Sent to each follower on a conversation's first message.</summary>
    AutoReply,
}
