using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>Inside a live circuit no HTTP request is made on navigation, so the router itself must refuse admin-only records.</summary>
public sealed class AdminOnlyRecordsTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Support_navigating_inside_the_app_to_import_failures_sees_not_allowed_and_no_record()
    {
        await Host.CreateUserAsync(Roles.Administrator);
        var support = await Host.CreateUserAsync(Roles.Support);
        var id = await Host.Services.GetRequiredService<ObjectStore>().CreateAsync("importerror", new Dictionary<string, object?>
        {
            ["account"] = "support@example.test",
            ["reason"] = "Secret reason",
            ["subject"] = "Secret subject",
            ["status"] = "failed",
        }, "test");
        var page = await NewPageAsync();
        await SignInAsync(page, support, AppHost.SupportPassword);
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("object-table")).ToBeVisibleAsync();

        await page.EvaluateAsync("path => Blazor.navigateTo(path)", "/objects/importerror");
        await Expect(page.GetByText("Not allowed")).ToBeVisibleAsync();
        await page.EvaluateAsync("path => Blazor.navigateTo(path)", $"/objects/importerror/{id}");
        await Expect(page.GetByText("Not allowed")).ToBeVisibleAsync();

        Assert.DoesNotContain("Secret", await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByTestId("object-table").CountAsync());
    }
}
