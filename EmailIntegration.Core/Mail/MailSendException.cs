namespace EmailIntegration.Core.Mail;

public sealed class MailSendException(string message, SendFailure failure, Exception? inner = null) : Exception(message, inner)
{
    public SendFailure Failure { get; } = failure;
}
