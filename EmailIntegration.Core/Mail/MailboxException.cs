namespace EmailIntegration.Core.Mail;

/// <summary>
/// A mailbox operation failed. Transient: the connection broke (reconnect and go on); otherwise the
/// server refused this one thing.
/// </summary>
public sealed class MailboxException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
