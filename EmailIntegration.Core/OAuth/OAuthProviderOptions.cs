using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.OAuth;

/// <summary>
/// Every provider endpoint and mail host (<c>EmailIntegration:OAuth</c>). The defaults are the real
/// Microsoft and Google ones; a test or a sovereign cloud points them elsewhere.
/// </summary>
public sealed class OAuthProviderOptions
{
    public const string SectionName = "EmailIntegration:OAuth";

    /// <summary>The fixed path providers redirect back to after consent.</summary>
    public const string RedirectPath = "/email/oauth";

    public MicrosoftEndpoints Microsoft { get; set; } = new();

    public GoogleEndpoints Google { get; set; } = new();

    /// <summary>How long an admin has to finish consent at the provider.</summary>
    public TimeSpan ConsentLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public sealed class MicrosoftEndpoints
    {
        /// <summary>The authority host; the directory (tenant) id is appended.</summary>
        public Uri AuthorityHost { get; set; } = new("https://login.microsoftonline.com/");

        public IList<string> Scopes { get; } =
        [
            "https://outlook.office.com/IMAP.AccessAsUser.All",
            "https://outlook.office.com/SMTP.Send",
        ];

        public MailServer Imap { get; set; } = new("outlook.office365.com", 993, MailSecurity.SslOnConnect);

        public MailServer Smtp { get; set; } = new("smtp.office365.com", 587, MailSecurity.StartTls);
    }

    public sealed class GoogleEndpoints
    {
        public Uri AuthorizationEndpoint { get; set; } = new("https://accounts.google.com/o/oauth2/v2/auth");

        public Uri TokenEndpoint { get; set; } = new("https://oauth2.googleapis.com/token");

        public Uri RevokeEndpoint { get; set; } = new("https://oauth2.googleapis.com/revoke");

        public IList<string> Scopes { get; } = ["https://mail.google.com/", "openid", "email"];

        public MailServer Imap { get; set; } = new("imap.gmail.com", 993, MailSecurity.SslOnConnect);

        public MailServer Smtp { get; set; } = new("smtp.gmail.com", 465, MailSecurity.SslOnConnect);
    }

    public MailServer ImapFor(OAuthProvider provider) => provider == OAuthProvider.Microsoft ? Microsoft.Imap : Google.Imap;

    public MailServer SmtpFor(OAuthProvider provider) => provider == OAuthProvider.Microsoft ? Microsoft.Smtp : Google.Smtp;
}
