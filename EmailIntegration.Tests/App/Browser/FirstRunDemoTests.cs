using System.Text.RegularExpressions;
using EmailIntegration.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>"Start with demo data" on the first-run page: the built-in mailbox comes on and sample tickets arrive, with no restart.</summary>
public sealed class FirstRunDemoTests(BrowserFixture browser)
    : BrowserTestBase(browser, new AppHost { WatchMailboxes = true, Settings = BuiltInMail.Settings(enabled: false) })
{
    [Fact]
    public async Task Choosing_demo_data_at_setup_fills_the_dashboard_from_the_built_in_mailbox()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await page.FillAsync("#name", "Dana Demo");
        await page.FillAsync("#email", "dana@example.test");
        await page.FillAsync("#password", AppHost.AdminPassword);
        await page.FillAsync("#confirm", AppHost.AdminPassword);
        await page.GetByTestId("setup-demo").CheckAsync();
        await page.ClickAsync("[data-testid=create-administrator]");
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await WaitInteractiveAsync(page);

        await Expect(page.GetByTestId("demo-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("start-tickets")).ToContainTextAsync("tickets", new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("tile-helpdesk.unread-tickets").GetByTestId("tile-value")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"));
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Link, new() { Name = "Demo mailboxes" })).ToBeVisibleAsync();
    }
}
