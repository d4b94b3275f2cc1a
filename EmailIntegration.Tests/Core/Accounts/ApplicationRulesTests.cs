using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Accounts;

public sealed class ApplicationRulesTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private readonly AppHost host = new();

    [Theory]
    [InlineData(45, SecretExpiryLevel.Ok)]
    [InlineData(31, SecretExpiryLevel.Ok)]
    [InlineData(30, SecretExpiryLevel.ExpiresSoon)]
    [InlineData(1, SecretExpiryLevel.ExpiresSoon)]
    [InlineData(0, SecretExpiryLevel.ExpiresSoon)]
    [InlineData(-1, SecretExpiryLevel.Expired)]
    public void A_secret_warns_from_thirty_days_before_its_expiry(int daysLeft, SecretExpiryLevel expected)
    {
        var expiry = SecretExpiry.Evaluate(Today.AddDays(daysLeft), Today);

        Assert.Equal(expected, expiry.Level);
        if (expected == SecretExpiryLevel.Expired)
        {
            Assert.Contains("without new consent", expiry.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("invalid_client", "AADSTS7000222: The provided client secret keys are expired.", OAuthFailureKind.InvalidClient, "has expired")]
    [InlineData("invalid_request", "AADSTS90002: Tenant 'x' not found.", OAuthFailureKind.WrongApplication, "Directory (tenant) ID")]
    [InlineData("invalid_grant", "AADSTS70008: The refresh token has expired.", OAuthFailureKind.GrantRevoked, "Authenticate")]
    [InlineData("access_denied", null, OAuthFailureKind.ConsentDenied, "declined")]
    [InlineData("invalid_grant", "Token has been expired or revoked.", OAuthFailureKind.GrantRevoked, "Authenticate")]
    public void Provider_errors_become_what_an_admin_must_do(string error, string? description, OAuthFailureKind kind, string words)
    {
        var translated = OAuthErrors.Translate(error, description, "Support app");

        Assert.Equal(kind, translated.Kind);
        Assert.Contains(words, translated.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("common", "TenantId", "not one directory")]
    [InlineData("not a tenant!", "TenantId", "GUID")]
    [InlineData("not-a-guid", "TenantId", "\"not-a-guid\" is not a Directory (tenant) ID")]
    [InlineData("contoso", "TenantId", "contoso.onmicrosoft.com")]
    [InlineData("72f988bf-86f1-41af-91ab", "TenantId", "GUID")]
    [InlineData("192.168.1.1", "TenantId", "verified domain")]
    public async Task An_application_with_bad_input_is_refused_with_the_field_and_what_to_enter(string tenant, string field, string words)
    {
        var result = await host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "App", OAuthProvider.Microsoft, tenant, Guid.NewGuid().ToString(), "secret", "https://crm.example.test/email/oauth", null));

        Assert.False(result.Succeeded);
        Assert.Contains(words, result.Errors[field], StringComparison.Ordinal);
        Assert.Empty(await host.Get<OAuthApplicationService>().ListAsync());
    }

    [Theory]
    [InlineData("72f988bf-86f1-41af-91ab-2d7cd011db47")]
    [InlineData("contoso.onmicrosoft.com")]
    [InlineData("example.com")]
    [InlineData(" Support.Example.co.uk ")]
    public async Task A_tenant_GUID_or_a_verified_domain_name_is_accepted(string tenant)
    {
        var result = await host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "App", OAuthProvider.Microsoft, tenant, Guid.NewGuid().ToString(), "secret", "https://crm.example.test/email/oauth", null));

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
    }

    [Fact]
    public async Task Sync_names_an_application_whose_stored_tenant_id_is_no_directory()
    {
        var apps = host.Get<OAuthApplicationService>();
        var id = (await apps.SaveAsync(null, new OAuthApplicationInput(
            "Legacy app", OAuthProvider.Microsoft, "contoso.onmicrosoft.com", Guid.NewGuid().ToString(), "secret", "https://crm.example.test/email/oauth", null))).Id!.Value;
        // Stored before tenant ids were checked.
        await using (var db = await host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<EmailIntegration.Core.Persistence.AppDbContext>>().CreateDbContextAsync())
        {
            await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
                db.Set<OAuthApplication>().Where(a => a.Id == id), s => s.SetProperty(a => a.TenantId, "not-a-guid"));
        }

        var summary = await host.Get<AccountChecks>().SyncAsync();

        var problem = Assert.Single(summary.Problems);
        Assert.Contains("Legacy app", problem, StringComparison.Ordinal);
        Assert.Contains("\"not-a-guid\" is not a Directory (tenant) ID", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://crm.example.test/oauth", "must end in /email/oauth")]
    [InlineData("http://crm.example.test/email/oauth", "only for localhost")]
    [InlineData("crm.example.test/email/oauth", "full redirect URL")]
    public async Task The_redirect_URL_must_be_this_products_callback(string url, string words)
    {
        var result = await host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "Google app", OAuthProvider.Google, null, "client.apps.googleusercontent.com", "secret", url, null));

        Assert.Contains(words, result.Errors["RedirectUrl"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_with_accounts_cannot_be_deleted_and_an_empty_secret_keeps_the_stored_one()
    {
        var apps = host.Get<OAuthApplicationService>();
        var input = new OAuthApplicationInput("Google app", OAuthProvider.Google, null, "client.apps.googleusercontent.com", "secret-1",
            "https://crm.example.test/email/oauth", null);
        var id = (await apps.SaveAsync(null, input)).Id!.Value;
        var account = await host.Get<AccountService>().SaveAsync(null, new MailAccountInput("Support", "support@example.test", AccountAuthentication.OAuth2, id));
        Assert.True(account.Succeeded);
        var before = (await apps.ListAsync()).Single().SecretUpdatedUtc;

        var renamed = await apps.SaveAsync(id, input with { Name = "Renamed", ClientSecret = "" });
        var deleted = await apps.DeleteAsync(id);

        Assert.True(renamed.Succeeded);
        Assert.Equal(before, (await apps.ListAsync()).Single().SecretUpdatedUtc);
        Assert.False(deleted.Succeeded);
        Assert.Contains("support@example.test", deleted.Errors.Values.Single(), StringComparison.Ordinal);
        Assert.Single(await apps.ListAsync());
    }

    public void Dispose() => host.Dispose();
}
