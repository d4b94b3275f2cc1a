using System.Collections.Concurrent;

namespace EmailIntegration.Core.Accounts;

/// <summary>
/// One lock per account, held across awaits. Note: per process; several nodes would need a
/// database lease instead.
/// </summary>
public sealed class AccountLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> locks = new();

    public async Task<IDisposable> AcquireAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}

/// <summary>Which servers an account's mail goes through: its provider's for OAuth2, its own for a password account.</summary>
public static class AccountServers
{
    public static Mail.MailServer ImapServer(this MailAccountSummary account, OAuth.OAuthProviderOptions providers) =>
        account.Authentication == AccountAuthentication.OAuth2 ? providers.ImapFor(account.Provider!.Value) : account.Imap!;

    public static Mail.MailServer SmtpServer(this MailAccountSummary account, OAuth.OAuthProviderOptions providers) =>
        account.Authentication == AccountAuthentication.OAuth2 ? providers.SmtpFor(account.Provider!.Value) : account.Smtp!;
}
