namespace EmailIntegration.Core.Mail;

/// <summary>
/// An email the product sends, in its own terms (MimeKit stays inside Mail/). The Message-ID is
/// chosen before sending and recorded, so replies thread back and a resend is recognisable.
/// </summary>
public sealed record OutgoingMessage
{
    public required MessageAddress From { get; init; }

    public required IReadOnlyList<MessageAddress> To { get; init; }

    public required string Subject { get; init; }

    public required string Html { get; init; }

    /// <summary>The text alternative; derived from the HTML when not given.</summary>
    public string? Text { get; init; }

    /// <summary>Without angle brackets.</summary>
    public required string MessageId { get; init; }

    public string? InReplyTo { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>RFC 3834 <c>Auto-Submitted</c> value, or null for mail a person wrote.</summary>
    public string? AutoSubmitted { get; init; }

    public IReadOnlyList<OutgoingAttachment> Attachments { get; init; } = [];

    public required DateTimeOffset Date { get; init; }
}
