namespace EmailIntegration.Core.Mail;

/// <summary>How a connection to a mail server is secured.</summary>
public enum MailSecurity
{
    /// <summary>No TLS. Only for servers on the same machine or a trusted network.</summary>
    None = 0,

    /// <summary>TLS from the first byte (IMAP 993, SMTP 465).</summary>
    SslOnConnect = 1,

    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (IMAP 143, SMTP 587).</summary>
    StartTls = 2,
}
