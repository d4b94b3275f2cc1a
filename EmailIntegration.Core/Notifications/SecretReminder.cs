namespace EmailIntegration.Core.Notifications;

/// <summary>A reminder sent about an OAuth2 secret, so each threshold is mailed once per expiry date.</summary>
public sealed class SecretReminder
{
    public Guid ApplicationId { get; set; }

    public int DaysBefore { get; set; }

    public DateTime ExpiresOn { get; set; }

    public DateTime SentUtc { get; set; }
}
