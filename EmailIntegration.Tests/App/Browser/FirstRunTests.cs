using System.Text.RegularExpressions;
using EmailIntegration.App.Components.Pages.Settings.EmailSettings;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class FirstRunTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_new_admin_sets_up_the_product_opens_every_settings_tab_signs_out_and_in_again()
    {
        var page = await NewPageAsync();

        // A fresh install sends everybody to setup.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create the first administrator" })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "setup");

        // Nothing filled in: each field says what is missing.
        await page.ClickAsync("[data-testid=create-administrator]");
        await Expect(page.GetByText("Enter your name.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Choose a password.")).ToBeVisibleAsync();

        // A weak password: Identity's rule, in words.
        await page.FillAsync("#name", "Ada Admin");
        await page.FillAsync("#email", "ada@example.test");
        await page.FillAsync("#password", "weak");
        await page.FillAsync("#confirm", "weak");
        await page.ClickAsync("[data-testid=create-administrator]");
        await Expect(page.GetByTestId("setup-error")).ToContainTextAsync("at least 10 characters");

        await page.FillAsync("#password", AppHost.AdminPassword);
        await page.FillAsync("#confirm", AppHost.AdminPassword);
        await page.ClickAsync("[data-testid=create-administrator]");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Ada Admin");

        // Every tab is a real page, reached from the navigation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Email Integration", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/email-integration$"));
        foreach (var tab in SettingsTabs.All)
        {
            await page.GetByTestId($"tab-{tab.Slug}").ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(tab.Href) + "$"));
            await Expect(page.GetByTestId($"tab-{tab.Slug}")).ToHaveClassAsync(new Regex("ei-tab-active"));
            // Lists start empty and say so; the configuration tabs show their editors with defaults.
            var content = tab.Slug switch
            {
                "runtime-configuration" => page.GetByTestId("configuration-editor"),
                "application-configuration" => page.GetByTestId("save-application"),
                "server-configuration" => page.GetByTestId("next-run"),
                "logs" => page.GetByText("Nothing imported, skipped or failed yet."),
                _ => page.GetByTestId("empty-state"),
            };
            await Expect(content).ToBeVisibleAsync();
            await Expect(page).ToHaveTitleAsync($"{tab.Title} · Email Integration");
            if (tab.Slug == "accounts")
            {
                await ScreenshotAsync(page, "settings");
            }
        }

        await page.ClickAsync("[data-testid=sign-out]");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        await page.GotoAsync("/settings/email-integration/logs");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl="));

        await page.FillAsync("#email", "ada@example.test");
        await page.FillAsync("#password", "Wrong-Password-9");
        await page.ClickAsync("[data-testid=sign-in]");
        await Expect(page.GetByTestId("sign-in-error")).ToHaveTextAsync("The email or the password is not right.");
        await page.FillAsync("#email", "ada@example.test");
        await ScreenshotAsync(page, "sign-in");
        await page.FillAsync("#password", AppHost.AdminPassword);
        await page.ClickAsync("[data-testid=sign-in]");

        // Back where the sign-in was asked for.
        await Expect(page).ToHaveURLAsync(new Regex("/settings/email-integration/logs$"));
        await Expect(page.GetByText("Nothing imported, skipped or failed yet.")).ToBeVisibleAsync();
    }
}
