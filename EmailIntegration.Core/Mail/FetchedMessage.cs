namespace EmailIntegration.Core.Mail;

/// <summary>A message fetched together with others: parsed, or the reason it could not be.</summary>
public sealed record FetchedMessage(MailboxMessageRef Ref, IncomingMessage? Message, Exception? Error);
