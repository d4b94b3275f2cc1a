using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Accounts;

/// <summary>
/// Hands out what a mail connection signs in with: a fresh access token for OAuth2 accounts, the
/// password otherwise. One token refresh at a time per account; a token set the provider rotates is
/// saved before the access token is used; a dead grant marks only its own account.
/// </summary>
public sealed class AccountCredentials(
    IDbContextFactory<AppDbContext> dbFactory,
    SecretProtector protector,
    IEnumerable<IOAuthTokenClient> clients,
    AccountService accounts,
    TimeProvider clock,
    ILogger<AccountCredentials> logger)
{
    // One refresh lock per account, separate from the import's: a refresh must not wait for a whole import pass.
    private readonly AccountLocks locks = new();

    public async Task<MailCredential> GetAsync(Guid accountId, bool forceRefresh = false, CancellationToken cancellationToken = default)
    {
        using (await locks.AcquireAsync(accountId, cancellationToken))
        {
            return await GetLockedAsync(accountId, forceRefresh, cancellationToken);
        }
    }

    private async Task<MailCredential> GetLockedAsync(Guid accountId, bool forceRefresh, CancellationToken cancellationToken)
    {
        MailAccount? account;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            account = await db.Set<MailAccount>().AsNoTracking().Include(a => a.OAuthApplication)
                .FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken);
        }

        if (account is null)
        {
            throw new MailCredentialException("The account was deleted.");
        }

        if (account.Authentication == AccountAuthentication.Password)
        {
            var password = protector.TryUnprotect(account.ProtectedPassword)
                ?? throw await FailAsync(account, AccountState.Failing,
                    "The stored password cannot be read (the database was restored without its key ring). Enter the password again.", cancellationToken);
            return new MailCredential(account.UserName ?? account.EmailAddress, password, IsOAuthToken: false);
        }

        if (account.State == AccountState.ReauthenticationRequired)
        {
            throw new MailCredentialException(account.StateReason ?? "Sign-in is required: press Authenticate.");
        }

        var app = account.OAuthApplication!;
        var secret = protector.TryUnprotect(app.ProtectedClientSecret)
            ?? throw await FailAsync(account, AccountState.Failing,
                $"The client secret of the application \"{app.Name}\" cannot be read (the database was restored without its key ring). Enter the secret again on the OAuth2 Applications tab.", cancellationToken);
        if (account.ProtectedTokens is null)
        {
            throw new MailCredentialException("This account has not been authenticated yet. Press Authenticate.");
        }

        var tokens = protector.TryUnprotect(account.ProtectedTokens)
            ?? throw await FailAsync(account, AccountState.ReauthenticationRequired,
                "The stored sign-in cannot be read (the database was restored without its key ring). Press Authenticate to sign in again.", cancellationToken);

        var client = clients.Single(c => c.Provider == app.Provider);
        try
        {
            var result = await client.GetAccessTokenAsync(new OAuthClientContext(app, secret), tokens, forceRefresh,
                (changed, ct) => SaveTokensAsync(accountId, changed, ct), cancellationToken);
            if (account.State == AccountState.Failing)
            {
                await accounts.SetStateAsync(accountId, AccountState.Connected, null, checkedNow: false, cancellationToken);
            }

            return new MailCredential(account.EmailAddress, result.AccessToken, IsOAuthToken: true);
        }
        catch (OAuthException ex) when (ex.Kind != OAuthFailureKind.Unavailable)
        {
            var state = ex.Kind is OAuthFailureKind.GrantRevoked or OAuthFailureKind.ConsentDenied
                ? AccountState.ReauthenticationRequired
                : AccountState.Failing;
            logger.LogWarning("Token refresh for account {Account} refused by the provider ({Code}); state {State}",
                account.EmailAddress, ex.ProviderCode, state);
            throw await FailAsync(account, state, ex.Message, cancellationToken);
        }
        catch (OAuthException ex)
        {
            // Unreachable provider: a passing problem, the account's state stays as it is.
            throw new MailCredentialException(ex.Message, ex);
        }
    }

    /// <summary>
    /// Runs a code exchange under the account's refresh lock, so a refresh of the old grant that is
    /// under way cannot save its tokens (or its failure) over the new consent.
    /// </summary>
    public async Task<T> ReplaceTokensAsync<T>(Guid accountId, Func<SaveTokensAsync, Task<T>> exchange, CancellationToken cancellationToken)
    {
        using (await locks.AcquireAsync(accountId, cancellationToken))
        {
            return await exchange((tokens, ct) => SaveTokensAsync(accountId, tokens, ct));
        }
    }

    /// <summary>Stores a new token set at once, so a rotated refresh token is never lost.</summary>
    internal async Task SaveTokensAsync(Guid accountId, string tokens, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var protectedTokens = protector.Protect(tokens);
        var now = clock.GetUtcNow().UtcDateTime;
        await db.Set<MailAccount>().Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ProtectedTokens, protectedTokens).SetProperty(a => a.TokensUpdatedUtc, now), CancellationToken.None);
    }

    private async Task<MailCredentialException> FailAsync(MailAccount account, AccountState state, string reason, CancellationToken cancellationToken)
    {
        await accounts.SetStateAsync(account.Id, state, reason, checkedNow: true, cancellationToken);
        return new MailCredentialException(reason);
    }
}
