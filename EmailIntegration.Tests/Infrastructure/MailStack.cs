namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// The loopback mail stack that ./test.sh starts (tools/mailstack). Tests read its ports from the
/// environment and work in mailboxes of their own, so they never see each other's mail.
/// </summary>
public static class MailStack
{
    public static string Host => Required("MAILSTACK_HOST");
    public static string Domain => Required("MAILSTACK_DOMAIN");
    public static string Password => Required("MAILSTACK_PASSWORD");
    public static int ImapPort => int.Parse(Required("MAILSTACK_IMAP_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static int ImapsPort => int.Parse(Required("MAILSTACK_IMAPS_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static int SubmissionsPort => int.Parse(Required("MAILSTACK_SUBMISSIONS_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static Uri IdentityProviderHttps => new(Required("MAILSTACK_IDP_HTTPS_URL"));
    public static string TlsCertificate => Required("MAILSTACK_TLS_CERT");
    public static bool IsRunning => Environment.GetEnvironmentVariable("MAILSTACK_HOST") is { Length: > 0 };
    public static int SubmissionPort => int.Parse(Required("MAILSTACK_SUBMISSION_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static int RelayPort => int.Parse(Required("MAILSTACK_RELAY_PORT"), System.Globalization.CultureInfo.InvariantCulture);
    public static Uri IdentityProvider => new(Required("MAILSTACK_IDP_URL"));

    /// <summary>A password account for a stack mailbox: IMAPS and submission with STARTTLS.</summary>
    public static EmailIntegration.Core.Accounts.MailAccountInput PasswordAccount(string address, string? password = null, int? imapPort = null, string name = "Support") => new(
        name, address, EmailIntegration.Core.Accounts.AccountAuthentication.Password, null, null,
        new EmailIntegration.Core.Mail.MailServer(Host, imapPort ?? ImapsPort, EmailIntegration.Core.Mail.MailSecurity.SslOnConnect),
        new EmailIntegration.Core.Mail.MailServer(Host, SubmissionPort, EmailIntegration.Core.Mail.MailSecurity.StartTls), null, password ?? Password);

    /// <summary>The configuration guide's example runtime configuration, with a real account id.</summary>
    public static string SeedRuntimeConfiguration(Guid accountId) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Core", "Crm", "SeedRuntimeConfiguration.json"))
            .Replace("<account_id>", accountId.ToString(), StringComparison.Ordinal);

    /// <summary>A mailbox no other test uses: every address of the domain exists in the stack.</summary>
    public static string NewMailbox(string prefix = "t") => $"{prefix}-{Guid.NewGuid().ToString("N")[..12]}@{Domain}";

    /// <summary>
    /// Gives a member Full Access to another user's mailbox, as an Exchange admin does: the member's own
    /// token then signs in to that mailbox (the stack's Dovecot checks its full-access list).
    /// </summary>
    public static void GrantFullAccess(string member, string mailbox)
    {
        lock (FullAccessLock)
        {
            File.AppendAllText(Path.Combine(Required("MAILSTACK_DIR"), "full-access"),
                $"{member.ToLowerInvariant()}/{mailbox.ToLowerInvariant()}::::::nopassword=y\n");
        }
    }

    private static readonly Lock FullAccessLock = new();

    /// <summary>How many times an IMAP client has signed in to the mailbox so far, as the stack's Dovecot logged it.</summary>
    public static int ImapSignIns(string mailbox)
    {
        var marker = $"imap-login: Info: Login: user=<{mailbox.ToLowerInvariant()}>";
        using var log = new FileStream(Path.Combine(Required("MAILSTACK_DIR"), "dovecot.log"), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(log);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                count++;
            }
        }

        return count;
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: the mail stack is not running. Run ./test.sh, or start tools/mailstack/start.sh and source the env file it writes.");
}
