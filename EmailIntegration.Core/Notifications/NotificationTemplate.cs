namespace EmailIntegration.Core.Notifications;

/// <summary>An HTML template with merge codes, for one account and language or for all of them (null).</summary>
public sealed class NotificationTemplate
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public required string Name { get; set; }

    public TemplateKind Kind { get; set; }

    public Guid? AccountId { get; set; }

    /// <summary>A language code such as <c>en</c> or <c>sv</c>, matched against the conversation's language.</summary>
    public string? Language { get; set; }

    public required string Html { get; set; }

    public DateTime UpdatedUtc { get; set; }
}
