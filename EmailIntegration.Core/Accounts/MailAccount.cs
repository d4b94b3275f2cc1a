using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;

namespace EmailIntegration.Core.Accounts;

/// <summary>A shared mailbox the product reads and sends from.</summary>
public sealed class MailAccount
{
    public const string DefaultFailureFolder = "Import failed";

    public Guid Id { get; set; }

    /// <summary>The name recipients see on mail sent from this account.</summary>
    public string DisplayName { get; set; } = "";

    public string EmailAddress { get; set; } = "";

    public AccountAuthentication Authentication { get; set; }

    public Guid? OAuthApplicationId { get; set; }

    public OAuthApplication? OAuthApplication { get; set; }

    /// <summary>The encrypted token set (MSAL cache or refresh token); OAuth2 accounts only.</summary>
    public string? ProtectedTokens { get; set; }

    /// <summary>Who consented, as the provider reported it.</summary>
    public string? ConsentedBy { get; set; }

    public DateTime? TokensUpdatedUtc { get; set; }

    // Password accounts: servers and sign-in of their own.
    public string? ImapHost { get; set; }

    public int? ImapPort { get; set; }

    public MailSecurity ImapSecurity { get; set; } = MailSecurity.SslOnConnect;

    public string? SmtpHost { get; set; }

    public int? SmtpPort { get; set; }

    public MailSecurity SmtpSecurity { get; set; } = MailSecurity.StartTls;

    public string? UserName { get; set; }

    public string? ProtectedPassword { get; set; }

    /// <summary>Where messages that cannot be imported are moved.</summary>
    public string FailureFolder { get; set; } = DefaultFailureFolder;

    public AccountState State { get; set; }

    public string? StateReason { get; set; }

    public DateTime StateChangedUtc { get; set; }

    public DateTime? LastCheckedUtc { get; set; }

    public DateTime CreatedUtc { get; set; }
}
