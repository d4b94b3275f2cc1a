using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.Core.Accounts;

public sealed class TokenLifecycleTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public TokenLifecycleTests() => scenario = new OAuthScenario(host);

    [Theory]
    [InlineData(OAuthProvider.Microsoft)]
    [InlineData(OAuthProvider.Google)]
    public async Task A_refresh_that_rotates_the_refresh_token_persists_the_new_one(OAuthProvider type)
    {
        var (_, account, _) = await scenario.ConnectedAccountAsync(type);
        var credentials = host.Get<AccountCredentials>();
        var before = await StoredTokensAsync(account);

        var first = await credentials.GetAsync(account, forceRefresh: true);
        var afterFirst = await StoredTokensAsync(account);
        // The provider invalidated the old refresh token; only the saved new one can refresh again.
        var second = await credentials.GetAsync(account, forceRefresh: true);

        Assert.NotEqual(before, afterFirst);
        Assert.True(first.IsOAuthToken);
        Assert.True(second.IsOAuthToken);
        Assert.Equal(AccountState.Connected, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    [Fact]
    public async Task A_revoked_grant_requires_reauthentication_while_another_account_keeps_working()
    {
        var (_, revoked, revokedMailbox) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft);
        var (_, other, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft);
        await scenario.Provider.RevokeUserAsync(revokedMailbox);

        var error = await Assert.ThrowsAsync<MailCredentialException>(() => host.Get<AccountCredentials>().GetAsync(revoked, forceRefresh: true));
        var otherCheck = await host.Get<AccountChecks>().TestAsync(other);

        Assert.Contains("Authenticate", error.Message, StringComparison.Ordinal);
        var state = await host.Get<AccountService>().GetAsync(revoked);
        Assert.Equal(AccountState.ReauthenticationRequired, state!.State);
        Assert.True(otherCheck.Passed, otherCheck.Reason);
        Assert.Equal(AccountState.Connected, otherCheck.State);

        // Consent again: the account is back.
        var again = await scenario.ConsentAsync(revoked, revokedMailbox);
        Assert.True(again.Succeeded, again.Message);
    }

    [Fact]
    public async Task A_rotated_client_secret_keeps_the_accounts_working_without_new_consent()
    {
        var (app, account, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft, "secret-old");
        var applications = host.Get<OAuthApplicationService>();
        var summary = (await applications.ListAsync()).Single(a => a.Id == app);

        // The provider now knows only the new secret (the old one was deleted in Entra).
        await scenario.Provider.RegisterClientAsync(summary.ClientId, "secret-new");
        var refused = await Assert.ThrowsAsync<MailCredentialException>(() => host.Get<AccountCredentials>().GetAsync(account, forceRefresh: true));
        Assert.Contains("client secret", refused.Message, StringComparison.Ordinal);
        Assert.Equal(AccountState.Failing, (await host.Get<AccountService>().GetAsync(account))!.State);

        var saved = await applications.SaveAsync(app, new OAuthApplicationInput(
            summary.Name, summary.Provider, summary.TenantId, summary.ClientId, "secret-new", summary.RedirectUrl, null));
        Assert.True(saved.Succeeded);
        var credential = await host.Get<AccountCredentials>().GetAsync(account, forceRefresh: true);
        var check = await host.Get<AccountChecks>().TestAsync(account);

        Assert.True(credential.IsOAuthToken);
        Assert.True(check.Passed, check.Reason);
        Assert.Equal(AccountState.Connected, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    [Fact]
    public async Task A_damaged_stored_sign_in_asks_for_authentication_instead_of_failing_every_pass()
    {
        var (_, account, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft);
        await using (var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            var damaged = host.Get<SecretProtector>().Protect("{not json");
            await db.Set<MailAccount>().Where(a => a.Id == account).ExecuteUpdateAsync(s => s.SetProperty(a => a.ProtectedTokens, damaged));
        }

        var error = await Assert.ThrowsAsync<MailCredentialException>(() => host.Get<AccountCredentials>().GetAsync(account));

        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
        Assert.Equal(AccountState.ReauthenticationRequired, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    [Fact]
    public async Task Concurrent_token_requests_for_one_account_refresh_one_at_a_time()
    {
        var (_, account, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Google);
        var credentials = host.Get<AccountCredentials>();

        // With rotation on, two refreshes racing on the same refresh token would kill the grant.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => credentials.GetAsync(account, forceRefresh: true)));

        Assert.All(results, r => Assert.True(r.IsOAuthToken));
        Assert.NotNull(await credentials.GetAsync(account, forceRefresh: true));
        Assert.Equal(AccountState.Connected, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    private async Task<string?> StoredTokensAsync(Guid account)
    {
        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var row = await db.Set<MailAccount>().AsNoTracking().SingleAsync(a => a.Id == account);
        return host.Get<SecretProtector>().TryUnprotect(row.ProtectedTokens);
    }

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
