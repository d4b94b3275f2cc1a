using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// "Sign in with Microsoft" end to end in Chromium, against the stack's identity provider acting as the
/// directory (OpenID Connect discovery, JWKS, RS256 ID tokens): staff land with their local user's role;
/// an address without a local user is refused.
/// </summary>
public sealed class EntraIdSignInBrowserTests(BrowserFixture browser) : BrowserTestBase(browser, EntraHost())
{
    private static readonly string TenantId = Guid.NewGuid().ToString();
    private static readonly string ClientId = Guid.NewGuid().ToString();
    private const string Secret = "entra-sign-in-secret";

    private static AppHost EntraHost() => new()
    {
        Settings = new Dictionary<string, string>
        {
            ["Authentication:EntraId:Instance"] = MailStack.IdentityProviderHttps.ToString(),
            ["Authentication:EntraId:TenantId"] = TenantId,
            ["Authentication:EntraId:ClientId"] = ClientId,
            ["Authentication:EntraId:ClientSecret"] = Secret,
        },
    };

    [Fact]
    public async Task Staff_sign_in_through_the_directory_and_land_with_the_role_of_their_local_user_and_an_unknown_address_is_refused()
    {
        using (var idp = new IdentityProviderClient())
        {
            await idp.RegisterClientAsync(ClientId, Secret);
        }

        // Set up already (an administrator exists); the agent is a local Support user with the directory's address.
        await Host.CreateUserAsync(Roles.Administrator);
        var agent = MailStack.NewMailbox("agent");
        await Host.CreateUserAsync(Roles.Support, agent);

        var page = await NewPageAsync(trustLoopbackProvider: true);
        await SignInWithMicrosoftAsync(page, agent);
        await page.WaitForURLAsync(url => url.StartsWith(Host.BaseUri.ToString(), StringComparison.Ordinal) && !url.Contains("/account/", StringComparison.Ordinal));
        await WaitInteractiveAsync(page);
        await Expect(page.GetByText("Sign out", new() { Exact = false }).First).ToBeVisibleAsync();
        // Support, not more: the settings answer "Not allowed".
        await page.GotoAsync("/settings/email-integration");
        await Expect(page.GetByText("Not allowed").First).ToBeVisibleAsync();
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByText("Not allowed")).ToHaveCountAsync(0);

        // Someone the directory knows but this product does not.
        var stranger = await NewPageAsync(trustLoopbackProvider: true);
        await SignInWithMicrosoftAsync(stranger, MailStack.NewMailbox("stranger"));
        await stranger.WaitForURLAsync(url => url.Contains("/account/login", StringComparison.Ordinal));
        await Expect(stranger.GetByText("There is no user for this Microsoft account here")).ToBeVisibleAsync();
        Assert.Empty(CspViolations);
    }

    private static async Task SignInWithMicrosoftAsync(IPage page, string email)
    {
        await page.GotoAsync("/account/login");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with Microsoft" }).ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/oauth2/v2.0/authorize", StringComparison.Ordinal));
        await page.Locator("#username").FillAsync(email);
        await page.Locator("#password").FillAsync(MailStack.Password);
        await page.Locator("#allow").ClickAsync();
    }
}
