using System.Text.RegularExpressions;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class MailAccountsTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Theory]
    [InlineData(OAuthProvider.Microsoft)]
    [InlineData(OAuthProvider.Google)]
    public async Task An_admin_adds_an_application_and_a_shared_account_authenticates_and_its_diagnostics_pass(OAuthProvider type)
    {
        var clientId = type == OAuthProvider.Microsoft ? Guid.NewGuid().ToString() : $"{Guid.NewGuid():N}.apps.googleusercontent.com";
        using (var provider = new IdentityProviderClient())
        {
            await provider.RegisterClientAsync(clientId, "browser-secret-1");
        }

        var mailbox = MailStack.NewMailbox("shared");
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync(trustLoopbackProvider: true);
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/email-integration/oauth2-applications");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("redirect-url")).ToHaveTextAsync(new Uri(Host.BaseUri, "/email/oauth").ToString());

        // The application.
        await page.GetByTestId("add-application").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        if (type == OAuthProvider.Google)
        {
            await dialog.GetByTestId("app-provider").ClickAsync();
            await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Google" }).ClickAsync();
            // The form re-renders for Google (no directory field); typing before that lands in fields that are replaced.
            await Expect(Field(dialog, "app-tenant")).ToHaveCountAsync(0);
        }

        await Field(dialog, "app-name").FillAsync($"{type} support");
        if (type == OAuthProvider.Microsoft)
        {
            await Field(dialog, "app-tenant").FillAsync("common");
        }

        await Field(dialog, "app-client-id").FillAsync(clientId);
        await Field(dialog, "app-secret").FillAsync("browser-secret-1");
        await dialog.GetByTestId("app-save").ClickAsync();
        if (type == OAuthProvider.Microsoft)
        {
            // A multi-tenant value is refused with what to enter instead.
            await Expect(dialog).ToContainTextAsync("is not one directory");
            // So is a word that is neither a GUID nor a domain.
            await Field(dialog, "app-tenant").FillAsync("not-a-guid");
            await dialog.GetByTestId("app-save").ClickAsync();
            await Expect(dialog).ToContainTextAsync("\"not-a-guid\" is not a Directory (tenant) ID");
            await Expect(dialog).ToContainTextAsync("contoso.onmicrosoft.com");
            await Field(dialog, "app-tenant").FillAsync(Guid.NewGuid().ToString());
            await dialog.GetByTestId("app-save").ClickAsync();
        }

        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("applications-table")).ToContainTextAsync(clientId);
        await Expect(page.GetByTestId("applications-table")).Not.ToContainTextAsync("browser-secret-1");

        // The shared account.
        await page.GetByTestId("tab-accounts").ClickAsync();
        await page.GetByTestId("add-account").ClickAsync();
        dialog = page.GetByRole(AriaRole.Dialog);
        await Field(dialog, "account-name").FillAsync("Support");
        await Field(dialog, "account-email").FillAsync(mailbox);
        await dialog.GetByTestId("account-save").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        var row = page.GetByTestId("accounts-table").Locator("tr", new() { HasText = mailbox });
        await Expect(row).ToContainTextAsync("Not authenticated");

        // Authenticate at the provider, which sends the browser back to /email/oauth.
        await row.GetByTestId("authenticate").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/authorize\\?"));
        await Expect(page.Locator("#username")).ToHaveValueAsync(mailbox);
        await page.FillAsync("#password", MailStack.Password);
        await page.ClickAsync("#allow");
        await Expect(page).ToHaveURLAsync(new Regex("/email/oauth\\?"));
        await Expect(page.GetByTestId("consent-title")).ToHaveTextAsync("Account connected");
        await Expect(page.GetByTestId("consent-message")).ToContainTextAsync(mailbox);

        await page.GetByTestId("back-to-accounts").ClickAsync();
        await WaitInteractiveAsync(page);
        row = page.GetByTestId("accounts-table").Locator("tr", new() { HasText = mailbox });
        await Expect(row.GetByTestId("account-state")).ToContainTextAsync("Connected");

        await row.GetByTestId("test-connection").ClickAsync();
        var steps = page.GetByTestId("diagnostics-steps");
        await Expect(page.GetByTestId("diagnostics-summary")).ToContainTextAsync("Every check passed", new() { Timeout = 30_000 });
        await Expect(steps).ToContainTextAsync("XOAUTH2");
        await Expect(steps.Locator("tr[data-outcome=Failed]")).ToHaveCountAsync(0);
        await Expect(steps.Locator("tr[data-outcome=Passed]")).ToHaveCountAsync(10);
        await ScreenshotAsync(page, $"account-diagnostics-{type.ToString().ToLowerInvariant()}");
    }

    [Fact]
    public async Task A_secret_that_expires_soon_warns_on_the_tab_and_on_the_start_page()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var expires = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10);
        var saved = await Host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "Expiring app", OAuthProvider.Microsoft, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "s", "https://crm.example.test/email/oauth", expires));
        Assert.True(saved.Succeeded);

        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("start-expiry-alert")).ToContainTextAsync("expires in 10 days");
        await page.GotoAsync("/settings/email-integration/oauth2-applications");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("expiry-alert")).ToContainTextAsync("Expiring app");
        await Expect(page.GetByTestId("applications-table")).ToContainTextAsync("10 days left");
        await ScreenshotAsync(page, "oauth2-applications");
    }

    private static ILocator Field(ILocator dialog, string testId) =>
        dialog.Locator($"input[data-testid={testId}], [data-testid={testId}] input");
}
