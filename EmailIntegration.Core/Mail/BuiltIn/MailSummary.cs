namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>A message in a built-in mailbox as a list shows it.</summary>
public sealed record MailSummary(uint Uid, string From, string Subject, DateTimeOffset Date, bool Seen, bool Automatic);
