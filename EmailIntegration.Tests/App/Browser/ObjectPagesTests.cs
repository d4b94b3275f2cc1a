using System.Text.RegularExpressions;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class ObjectPagesTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task Support_staff_create_a_company_and_a_person_in_it_then_find_and_follow_the_relation()
    {
        await Host.CreateUserAsync(Roles.Administrator);
        var support = await Host.CreateUserAsync(Roles.Support);
        var page = await NewPageAsync();
        await SignInAsync(page, support, AppHost.SupportPassword);
        await WaitInteractiveAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Companies" }).ClickAsync();
        await page.GetByTestId("new-object").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New company" })).ToBeVisibleAsync();
        await WaitInteractiveAsync(page);

        // Saving without the required name says so beside the field.
        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page.GetByText("Name is required.")).ToBeVisibleAsync();

        await page.Locator("input[data-testid=field-name], [data-testid=field-name] input").First.FillAsync("Acme Tools");
        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/objects/company/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Acme Tools" })).ToBeVisibleAsync();
        var companyUrl = page.Url;

        await page.GotoAsync("/objects/person/new");
        await WaitInteractiveAsync(page);
        await page.Locator("input[data-testid=field-name], [data-testid=field-name] input").First.FillAsync("Ann Andersson");
        await page.Locator("input[data-testid=field-email], [data-testid=field-email] input").First.FillAsync("ann@acme.test");
        var company = page.Locator("input[data-testid=field-company], [data-testid=field-company] input").First;
        await company.FillAsync("acme");
        await page.GetByRole(AriaRole.Option, new() { Name = "Acme Tools" }).Or(page.Locator(".mud-list-item", new() { HasText = "Acme Tools" })).First.ClickAsync();
        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/objects/person/\\d+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ann Andersson" })).ToBeVisibleAsync();

        // The company's card lists the person through the has-many side.
        await page.GotoAsync(companyUrl);
        await Expect(page.GetByText("Persons (1)")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ann Andersson" })).ToBeVisibleAsync();

        // The list searches on the server and shows the relation by its name.
        await page.GotoAsync("/objects/person");
        await WaitInteractiveAsync(page);
        await page.Locator("[data-testid=object-search] input, input[data-testid=object-search]").First.FillAsync("ANN@acme");
        var row = page.GetByTestId("object-table").Locator("tbody tr", new() { HasText = "Ann Andersson" });
        await Expect(row).ToContainTextAsync("Acme Tools");
        await page.Locator("[data-testid=object-search] input, input[data-testid=object-search]").First.FillAsync("nobody-like-this");
        await Expect(page.GetByText("Nothing matches the search.")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "objects");
    }

    [Fact]
    public async Task An_admin_adds_a_property_and_is_told_why_a_property_with_data_cannot_be_removed()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        await Host.Services.GetRequiredService<ObjectStore>()
            .CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Bob", ["phone"] = "555" }, "test");
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/limetypes/person");
        await WaitInteractiveAsync(page);

        await page.GetByTestId("add-property").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.Locator("input[data-testid=property-name], [data-testid=property-name] input").First.FillAsync("nickname");
        await dialog.Locator("input[data-testid=property-label], [data-testid=property-label] input").First.FillAsync("Nickname");
        await dialog.GetByTestId("create-property").ClickAsync();
        await Expect(page.GetByTestId("property-table")).ToContainTextAsync("Nickname");

        await page.GetByTestId("remove-phone").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.Locator(".mud-snackbar.mud-alert-filled-error")).ToContainTextAsync("1 person object(s) have a value in 'phone'");
        await Expect(page.GetByTestId("property-table")).ToContainTextAsync("phone");
    }
}
