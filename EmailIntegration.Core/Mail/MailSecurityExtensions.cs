namespace EmailIntegration.Core.Mail;

internal static class MailSecurityExtensions
{
    /// <summary>MailKit's name for how a connection is secured.</summary>
    public static MailKit.Security.SecureSocketOptions SocketOptions(this MailSecurity security) => security switch
    {
        MailSecurity.SslOnConnect => MailKit.Security.SecureSocketOptions.SslOnConnect,
        MailSecurity.StartTls => MailKit.Security.SecureSocketOptions.StartTls,
        _ => MailKit.Security.SecureSocketOptions.None,
    };
}
