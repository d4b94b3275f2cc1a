using System.Net;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.App.Endpoints;

/// <summary>The consent round trip over HTTP: Authenticate posts, the provider answers /email/oauth.</summary>
public sealed class OAuthCallbackTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public OAuthCallbackTests() => scenario = new OAuthScenario(host);

    [Fact]
    public async Task A_replayed_state_is_refused_with_a_clear_page()
    {
        var (admin, account, mailbox) = await ArrangeAsync();
        var callback = await StartAndConsentAsync(admin, account, mailbox);

        using var first = await admin.GetAsync(callback);
        using var replay = await admin.GetAsync(callback);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Account connected", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Contains("already used", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_started_in_another_session_is_refused_and_the_rightful_one_still_works()
    {
        var (admin, account, mailbox) = await ArrangeAsync();
        var callback = await StartAndConsentAsync(admin, account, mailbox);
        using var other = host.NewSession();
        var otherAdmin = await host.CreateUserAsync(Roles.Administrator);
        (await other.SignInAsync(otherAdmin, AppHost.AdminPassword)).Dispose();

        using var foreign = await other.GetAsync(callback);
        using var rightful = await admin.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Contains("another browser session", await foreign.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, rightful.StatusCode);
        Assert.Equal(AccountState.Connected, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    [Fact]
    public async Task A_consent_whose_PKCE_verifier_is_missing_is_refused_before_the_code_is_exchanged()
    {
        var (admin, account, mailbox) = await ArrangeAsync();
        var callback = await StartAndConsentAsync(admin, account, mailbox);
        await using (var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            await db.Set<OAuthConsent>().ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedCodeVerifier, ""));
        }

        using var response = await admin.GetAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("PKCE verifier", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var clientId = (await host.Get<OAuthApplicationService>().ListAsync()).Single().ClientId;
        Assert.DoesNotContain("authorization_code", await scenario.Provider.TokenRequestsAsync(clientId));
        Assert.Equal(AccountState.NotAuthenticated, (await host.Get<AccountService>().GetAsync(account))!.State);
    }

    [Fact]
    public async Task An_unknown_state_and_a_declined_consent_get_pages_that_say_what_to_do()
    {
        var (admin, account, _) = await ArrangeAsync();
        using var unknown = await admin.GetAsync("/email/oauth?state=forged&code=abc");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("never started here", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var start = await admin.PostFromPageAsync("/settings/email-integration/accounts", "/email/oauth/start",
            new Dictionary<string, string> { ["accountId"] = account.ToString() });
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(start.Headers.Location!.Query)["state"].ToString();
        using var declined = await admin.GetAsync($"/email/oauth?state={Uri.EscapeDataString(state)}&error=access_denied&error_description=The+user+declined");
        Assert.Contains("Consent was declined", await declined.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_a_consent_needs_the_form_token_and_an_administrator()
    {
        var (admin, account, _) = await ArrangeAsync();
        using var forged = await admin.PostRawAsync("/email/oauth/start", new Dictionary<string, string> { ["accountId"] = account.ToString() });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var support = host.NewSession();
        (await support.SignInAsync(await host.CreateUserAsync(Roles.Support), AppHost.SupportPassword)).Dispose();
        using var refused = await support.PostRawAsync("/email/oauth/start", new Dictionary<string, string> { ["accountId"] = account.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/access-denied", refused.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        Assert.Empty(await db.Set<OAuthConsent>().ToListAsync());
    }

    private async Task<(HttpSession Admin, Guid Account, string Mailbox)> ArrangeAsync()
    {
        var app = await scenario.CreateApplicationAsync(OAuthProvider.Microsoft, "secret-one");
        var mailbox = MailStack.NewMailbox("shared");
        var account = await scenario.CreateAccountAsync(app, mailbox);
        var session = host.NewSession();
        (await session.SignInAsync(await host.CreateUserAsync(Roles.Administrator), AppHost.AdminPassword)).Dispose();
        return (session, account, mailbox);
    }

    private static async Task<string> StartAndConsentAsync(HttpSession admin, Guid account, string mailbox)
    {
        using var start = await admin.PostFromPageAsync("/settings/email-integration/accounts", "/email/oauth/start",
            new Dictionary<string, string> { ["accountId"] = account.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var back = await IdentityProviderClient.ConsentAsync(start.Headers.Location!, mailbox);
        return back.PathAndQuery;
    }

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
