namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The built-in mailbox (<c>EmailIntegration:BuiltInMail</c>): an SMTP receiver and an IMAP service on
/// loopback, storing mail in the data folder, so an install works with no mail server of its own.
/// Off unless demo mode or this configuration turns it on.
/// </summary>
public sealed class BuiltInMailOptions
{
    public const string Section = "EmailIntegration:BuiltInMail";

    public bool Enabled { get; set; }

    /// <summary>Where both services listen; loopback keeps them to this machine.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    public int SmtpPort { get; set; } = 2525;

    public int ImapPort { get; set; } = 1143;

    /// <summary>Larger messages are refused by the SMTP receiver with a 552.</summary>
    public int MaxMessageSizeMb { get; set; } = 25;

    /// <summary>The host name the account's servers use to reach the services.</summary>
    public string Host => BindAddress is "0.0.0.0" or "::" ? "127.0.0.1" : BindAddress;
}
