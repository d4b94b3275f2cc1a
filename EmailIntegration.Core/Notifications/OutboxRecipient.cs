namespace EmailIntegration.Core.Notifications;

public sealed class OutboxRecipient
{
    public long Id { get; set; }

    public Guid OutboxMessageId { get; set; }

    /// <summary>Lower case, so the auto-reply cap counts one address once.</summary>
    public required string Address { get; set; }

    public string? Name { get; set; }
}
