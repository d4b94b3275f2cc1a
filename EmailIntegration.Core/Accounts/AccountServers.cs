namespace EmailIntegration.Core.Accounts;

/// <summary>Which servers an account's mail goes through: its provider's for OAuth2, its own for a password account.</summary>
public static class AccountServers
{
    public static Mail.MailServer ImapServer(this MailAccountSummary account, OAuth.OAuthProviderOptions providers) =>
        account.Authentication == AccountAuthentication.OAuth2 ? providers.ImapFor(account.Provider!.Value) : account.Imap!;

    public static Mail.MailServer SmtpServer(this MailAccountSummary account, OAuth.OAuthProviderOptions providers) =>
        account.Authentication == AccountAuthentication.OAuth2 ? providers.SmtpFor(account.Provider!.Value) : account.Smtp!;
}
