namespace EmailIntegration.Core.Notifications;

/// <summary>One message of the thread as the email shows it; the HTML is sanitized when merged.</summary>
public sealed record ThreadEntry(string? FromName, string? FromAddress, DateTime? Date, string Html);
