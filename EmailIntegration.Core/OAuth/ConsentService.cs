using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.OAuth;

/// <summary>
/// The authorization code flow for a shared account: state bound to the admin's user and
/// browser and usable once, PKCE always, the code exchanged on the server, the tokens stored
/// encrypted, and the mailbox tested over IMAP and SMTP before the account is called connected.
/// </summary>
public sealed class ConsentService(
    IDbContextFactory<AppDbContext> dbFactory,
    SecretProtector protector,
    IEnumerable<IOAuthTokenClient> clients,
    AccountCredentials credentials,
    AccountChecks checks,
    AccountService accounts,
    IOptions<OAuthProviderOptions> options,
    TimeProvider clock,
    ILogger<ConsentService> logger)
{
    public async Task<ConsentStart> StartAsync(Guid accountId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Set<MailAccount>().Include(a => a.OAuthApplication).FirstOrDefaultAsync(a => a.Id == accountId, cancellationToken)
            ?? throw new ConsentException("The account does not exist (any more).");
        if (account.Authentication != AccountAuthentication.OAuth2 || account.OAuthApplication is null)
        {
            throw new ConsentException("This account signs in with a password; there is nothing to authenticate.");
        }

        var app = account.OAuthApplication;
        var secret = protector.TryUnprotect(app.ProtectedClientSecret)
            ?? throw new ConsentException($"The client secret of \"{app.Name}\" cannot be read. Enter it again on the OAuth2 Applications tab.");
        var (url, state, verifier) = await Client(app).BuildAuthorizeUrlAsync(new OAuthClientContext(app, secret), account.EmailAddress, cancellationToken);

        var now = clock.GetUtcNow().UtcDateTime;
        var binding = OAuthState.NewValue();
        await db.Set<OAuthConsent>().Where(c => c.ExpiresUtc < now).ExecuteDeleteAsync(cancellationToken);
        db.Add(new OAuthConsent
        {
            StateHash = OAuthState.Hash(state),
            BindingHash = OAuthState.Hash(binding),
            UserId = userId,
            AccountId = accountId,
            ProtectedCodeVerifier = protector.Protect(verifier),
            CreatedUtc = now,
            ExpiresUtc = now + options.Value.ConsentLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Consent started for account {Account} through {Application}", account.EmailAddress, app.Name);
        return new ConsentStart(url, binding, now + options.Value.ConsentLifetime);
    }

    public async Task<ConsentOutcome> CompleteAsync(ConsentCallback callback, string userId, string? binding, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(callback.State))
        {
            return Refused("The provider's answer carries no state, so it cannot be matched to a sign-in started here. Start again with Authenticate on the Accounts tab.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stateHash = OAuthState.Hash(callback.State);
        var consent = await db.Set<OAuthConsent>().AsNoTracking().FirstOrDefaultAsync(c => c.StateHash == stateHash, cancellationToken);
        if (consent is null)
        {
            return Refused("This sign-in answer was already used or was never started here. Each one works once: start again with Authenticate on the Accounts tab.");
        }

        if (consent.UserId != userId || binding is null || OAuthState.Hash(binding) != consent.BindingHash)
        {
            logger.LogWarning("Consent answer for account {AccountId} arrived in another session; refused", consent.AccountId);
            return Refused("This sign-in was started in another browser session. Start it again from this browser with Authenticate on the Accounts tab.");
        }

        // Single use: whoever deletes the row owns the answer; a replay finds nothing.
        if (await db.Set<OAuthConsent>().Where(c => c.StateHash == stateHash).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return Refused("This sign-in answer was already used. Start again with Authenticate on the Accounts tab.");
        }

        if (consent.ExpiresUtc < clock.GetUtcNow().UtcDateTime)
        {
            return Refused("This sign-in took too long and expired. Start again with Authenticate on the Accounts tab.", consent.AccountId);
        }

        var account = await db.Set<MailAccount>().AsNoTracking().Include(a => a.OAuthApplication).FirstOrDefaultAsync(a => a.Id == consent.AccountId, cancellationToken);
        if (account?.OAuthApplication is not { } app)
        {
            return Refused("The account was deleted while its sign-in was under way.");
        }

        if (!string.IsNullOrEmpty(callback.Error))
        {
            var translated = OAuthErrors.Translate(callback.Error, callback.ErrorDescription, app.Name);
            return Refused(translated.Message, account.Id);
        }

        if (string.IsNullOrEmpty(callback.Code))
        {
            return Refused("The provider's answer carries no authorization code. Start again with Authenticate on the Accounts tab.", account.Id);
        }

        var verifier = protector.TryUnprotect(consent.ProtectedCodeVerifier);
        if (string.IsNullOrEmpty(verifier))
        {
            return Refused("The PKCE verifier of this sign-in is missing, so the code cannot be exchanged safely. Start again with Authenticate on the Accounts tab.", account.Id);
        }

        var secret = protector.TryUnprotect(app.ProtectedClientSecret);
        if (secret is null)
        {
            return Refused($"The client secret of \"{app.Name}\" cannot be read. Enter it again on the OAuth2 Applications tab.", account.Id);
        }

        OAuthTokenResult token;
        try
        {
            token = await credentials.ReplaceTokensAsync(account.Id, save => Client(app).ExchangeCodeAsync(
                new OAuthClientContext(app, secret), callback.Code, verifier, save, cancellationToken), cancellationToken);
        }
        catch (OAuthException ex)
        {
            logger.LogWarning("Code exchange for account {Account} refused ({Code})", account.EmailAddress, ex.ProviderCode);
            await accounts.SetStateAsync(account.Id, AccountState.Failing, ex.Message, checkedNow: true, cancellationToken);
            return Refused(ex.Message, account.Id);
        }

        await db.Set<MailAccount>().Where(a => a.Id == account.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ConsentedBy, token.SignedInAs), cancellationToken);
        await accounts.SetStateAsync(account.Id, AccountState.NotAuthenticated, null, checkedNow: false, cancellationToken);

        var check = await checks.TestAsync(account.Id, cancellationToken);
        accounts.OnCredentialsChanged(account.Id);
        var who = token.SignedInAs is null ? "" : $" as {token.SignedInAs}";
        logger.LogInformation("Consent finished for account {Account}; state {State}", account.EmailAddress, check.State);
        return check.State == AccountState.Connected
            ? new ConsentOutcome(true, "Account connected",
                $"Signed in{who}. {account.DisplayName} <{account.EmailAddress}> is connected: IMAP and SMTP accepted the sign-in.", account.Id, check)
            : new ConsentOutcome(false, "Signed in, but the mailbox refused",
                $"Signed in{who}, but {account.EmailAddress} did not accept it. {check.Reason}", account.Id, check);
    }

    private IOAuthTokenClient Client(OAuthApplication app) => clients.Single(c => c.Provider == app.Provider);

    private static ConsentOutcome Refused(string message, Guid? accountId = null) => new(false, "Sign-in refused", message, accountId);
}
