namespace EmailIntegration.Core.Mail;

/// <summary>An email's HTML made safe to show: sanitized, and how many remote images were held back.</summary>
public sealed record SafeHtml(string Html, int BlockedImages);
