using System.Text.RegularExpressions;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class UserManagementTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task An_admin_adds_a_support_user_who_signs_in_and_is_refused_the_settings()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/users");
        await WaitInteractiveAsync(page);

        await page.ClickAsync("[data-testid=add-user]");
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("input[data-testid=new-user-name], [data-testid=new-user-name] input").FillAsync("Sam Support");
        await dialog.Locator("input[data-testid=new-user-email], [data-testid=new-user-email] input").FillAsync("sam@example.test");
        await dialog.Locator("input[data-testid=new-user-password], [data-testid=new-user-password] input").FillAsync("short");
        await dialog.GetByTestId("create-user").ClickAsync();
        await Expect(dialog).ToContainTextAsync("at least 10 characters");

        await dialog.Locator("input[data-testid=new-user-password], [data-testid=new-user-password] input").FillAsync(AppHost.SupportPassword);
        await dialog.GetByTestId("create-user").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        var row = page.GetByTestId("users-table").Locator("tr", new() { HasText = "sam@example.test" });
        await Expect(row).ToContainTextAsync("Support");
        await Expect(row).ToContainTextAsync("Active");

        var other = await NewPageAsync();
        await SignInAsync(other, "sam@example.test", AppHost.SupportPassword);
        await Expect(other).ToHaveURLAsync(new Regex("/$"));
        await WaitInteractiveAsync(other);
        await Expect(other.GetByRole(AriaRole.Link, new() { Name = "Email Integration", Exact = true })).ToHaveCountAsync(0);
        await other.GotoAsync("/settings/email-integration/accounts");
        await Expect(other.GetByTestId("access-denied")).ToBeVisibleAsync();

        // Disabled by the admin: the next sign-in is refused.
        await row.GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Disabled");
        var third = await NewPageAsync();
        await SignInAsync(third, "sam@example.test", AppHost.SupportPassword);
        await Expect(third.GetByTestId("sign-in-error")).ToContainTextAsync("This user is disabled");
    }

    [Fact]
    public async Task The_dark_mode_switch_changes_the_theme_and_is_remembered()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await WaitInteractiveAsync(page);
        var background = () => page.EvaluateAsync<string>("getComputedStyle(document.querySelector('.mud-main-content')).getPropertyValue('--mud-palette-background').trim()");
        var light = await background();

        await page.ClickAsync("[data-testid=dark-mode-toggle]");
        await Expect(page.Locator("[data-testid=dark-mode-toggle]")).ToHaveAttributeAsync("aria-label", "Toggle dark mode");
        await page.WaitForFunctionAsync("l => getComputedStyle(document.querySelector('.mud-main-content')).getPropertyValue('--mud-palette-background').trim() !== l", light);
        var dark = await background();

        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await page.WaitForFunctionAsync("d => getComputedStyle(document.querySelector('.mud-main-content')).getPropertyValue('--mud-palette-background').trim() === d", dark);
        Assert.NotEqual(light, dark);
    }
}
