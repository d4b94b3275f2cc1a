namespace EmailIntegration.Core.Mail;

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
