namespace EmailIntegration.Core.Mail;

/// <summary>No credential could be obtained; the message says why and what to do.</summary>
public sealed class MailCredentialException(string message, Exception? inner = null) : Exception(message, inner);
