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

/// <summary>A mail server address: host, port and how the connection is secured.</summary>
public sealed record MailServer
{
    // Note: a parameterless constructor and setters, so configuration can override one part of a default.
    public MailServer()
    {
    }

    public MailServer(string host, int port, MailSecurity security)
    {
        Host = host;
        Port = port;
        Security = security;
    }

    public string Host { get; set; } = "";

    public int Port { get; set; }

    public MailSecurity Security { get; set; }

    public override string ToString() => $"{Host}:{Port} ({Security})";
}

/// <summary>How to sign in: a password, or an OAuth2 access token for XOAUTH2.</summary>
public sealed record MailCredential(string UserName, string Secret, bool IsOAuthToken);

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
