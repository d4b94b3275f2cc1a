using System.Text.RegularExpressions;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

[RunsLong(65)]
public sealed class LimeAdminViewsTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task An_admin_imports_the_guides_files_then_the_list_marks_unread_tickets_and_the_tiles_count_them_until_one_is_read()
    {
        // Three tickets from real mail through the import, one of them already read, and one ticket without mail.
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Printer on fire", "Invoice 4711", "Password reset");
        var store = Host.Get<ObjectStore>();
        var read = (await store.QueryAsync(new LimeQuery("conversation") { Filter = System.Text.Json.Nodes.JsonNode.Parse("""{"key":"subject","op":"=","exp":"Password reset"}""") }, QueryContext.Anonymous)).Single();
        await Host.Get<ConversationService>().MarkReadAsync((long)read["_id"]!, null, "test");
        await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Phoned in", ["status"] = "started" }, "test");

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        // The three shipped files, one click each, shown as new before they are imported.
        await page.GotoAsync("/settings/config-importer");
        await WaitInteractiveAsync(page);
        foreach (var (file, items) in new[] { ("filters.json", 4), ("infotiles.json", 3), ("views.json", 2) })
        {
            await page.GetByTestId($"shipped-{file}").ClickAsync();
            await Expect(page.GetByTestId("import-plan").Locator("tbody tr")).ToHaveCountAsync(items);
            await Expect(page.GetByTestId("import-plan").GetByTestId("plan-action").Filter(new() { HasText = "New" })).ToHaveCountAsync(items);
            await page.GetByTestId("import-apply").ClickAsync();
            await Expect(page.GetByText($"Imported {items} items.")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("import-plan").GetByTestId("plan-action").Filter(new() { HasText = "Unchanged" })).ToHaveCountAsync(items);
        }

        // The list: 📫 exactly on the two tickets whose conversation has an unread message, and those rows bold.
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        var table = page.GetByTestId("object-table");
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(table.GetByTestId("unread-indicator")).ToHaveCountAsync(2);
        foreach (var subject in new[] { "Printer on fire", "Invoice 4711" })
        {
            var row = table.Locator("tbody tr", new() { HasText = subject });
            await Expect(row.GetByTestId("unread-indicator")).ToHaveCountAsync(1);
            await Expect(row).ToHaveClassAsync(new Regex("ei-unread-row"));
        }

        await Expect(table.Locator("tbody tr", new() { HasText = "Password reset" }).GetByTestId("unread-indicator")).ToHaveCountAsync(0);
        await Expect(table.Locator("tbody tr", new() { HasText = "Phoned in" }).GetByTestId("unread-indicator")).ToHaveCountAsync(0);

        // A filter chip narrows the list to what the filter matches.
        await page.GetByTestId("filter-chip-webclient.helpdesk.ticketswithunreadmessages").ClickAsync();
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);

        // The tiles count what the filters match: unread 2, unassigned and open 4 (nobody is Responsible), mine 0.
        await page.GotoAsync("/");
        await WaitInteractiveAsync(page);
        var unreadTile = page.GetByTestId("tile-helpdesk.unread-tickets");
        await Expect(unreadTile.GetByTestId("tile-value")).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("tile-helpdesk.unassigned-tickets").GetByTestId("tile-value")).ToHaveTextAsync("4");
        await Expect(page.GetByTestId("tile-helpdesk.my-open-tickets").GetByTestId("tile-value")).ToHaveTextAsync("0");
        Assert.Equal(2, await store.CountAsync("helpdesk", System.Text.Json.Nodes.JsonNode.Parse("""{"key":"conversation.earliestunread","op":"!=","exp":null}"""), QueryContext.Anonymous));
        await ScreenshotAsync(page, "start-tiles");

        // The tile links to its filtered list; opening the ticket reads it, which clears its 📫 and lowers the tile.
        await unreadTile.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/objects/helpdesk\\?filter=webclient.helpdesk.ticketswithunreadmessages$"));
        await WaitInteractiveAsync(page);
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "ticket-list-unread");
        await table.GetByRole(AriaRole.Link, new() { Name = "Printer on fire" }).ClickAsync();
        await WaitInteractiveAsync(page);
        // Opening the ticket reads it.
        await Expect(page.GetByTestId("conversation-thread").GetByTestId("unread-chip")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("activity-feed")).ToContainTextAsync("Printer on fire");

        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(4);
        await Expect(table.GetByTestId("unread-indicator")).ToHaveCountAsync(1);
        await Expect(table.Locator("tbody tr", new() { HasText = "Printer on fire" }).GetByTestId("unread-indicator")).ToHaveCountAsync(0);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("tile-helpdesk.unread-tickets").GetByTestId("tile-value")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task An_admin_builds_a_tile_beside_its_live_rendering_and_restores_its_earlier_version()
    {
        var store = Host.Get<ObjectStore>();
        await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "One", ["status"] = "started" }, "test");
        await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Two", ["status"] = "done" }, "test");
        await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Three" }, "test");
        Assert.True((await Host.Get<EmailIntegration.Core.Views.ConfigImporter>().ImportAsync(
            File.ReadAllText(Path.Combine(RepositoryPaths.Root, "wwwroot-assets", "config", "filters.json")), "test")).CanImport);
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        await page.GotoAsync("/settings/info-tiles/edit");
        await WaitInteractiveAsync(page);
        await page.Locator("[data-testid=tile-name-0] input, input[data-testid=tile-name-0]").First.FillAsync("Open work");
        await page.GetByTestId("tile-filter").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Open tickets (webclient.helpdesk.open)" }).ClickAsync();
        await Expect(page.GetByTestId("tile-preview").GetByTestId("tile-value")).ToHaveTextAsync("2");
        await page.Locator("[data-testid=tile-suffix] input, input[data-testid=tile-suffix]").First.FillAsync(" open");
        await page.Locator("[data-testid=tile-suffix] input, input[data-testid=tile-suffix]").First.BlurAsync();
        await Expect(page.GetByTestId("tile-preview").GetByTestId("tile-value")).ToHaveTextAsync("2 open");
        await page.GetByTestId("save-tile").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/settings/info-tiles/edit\\?id=helpdesk.open-work$"));
        await Expect(page.GetByText("Info tile saved (version 1).")).ToBeVisibleAsync();

        // A second version, then the first restored: the stored tile is what the page shows.
        await WaitInteractiveAsync(page);
        await page.Locator("[data-testid=tile-suffix] input, input[data-testid=tile-suffix]").First.FillAsync(" tickets");
        await page.Locator("[data-testid=tile-suffix] input, input[data-testid=tile-suffix]").First.BlurAsync();
        await page.GetByTestId("save-tile").ClickAsync();
        await Expect(page.GetByText("Info tile saved (version 2).")).ToBeVisibleAsync();
        await page.GetByTestId("view-history").ClickAsync();
        await page.GetByTestId("restore-1").ClickAsync();
        await Expect(page.GetByText("Version 1 restored as version 3.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tile-preview").GetByTestId("tile-value")).ToHaveTextAsync("2 open");
        var stored = await Host.Get<EmailIntegration.Core.Views.ViewConfigurationService>().TilesAsync();
        Assert.Equal(" open", Assert.Single(stored).Suffix);
        await ScreenshotAsync(page, "info-tile-editor");

        // The Start page shows it, counted, linking to the filtered list.
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("tile-helpdesk.open-work").GetByTestId("tile-value")).ToHaveTextAsync("2 open");
    }

    [Fact]
    public async Task The_guides_unread_column_on_a_limetype_without_conversations_is_refused_with_its_path_and_a_deal_view_is_stored_with_it_once()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        await page.GotoAsync("/settings/table-views/edit?limetype=company");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("add-unread-column").ClickAsync();
        await page.GetByTestId("save-view").ClickAsync();
        await Expect(page.GetByTestId("view-errors")).ToContainTextAsync(".property");
        await Expect(page.GetByTestId("view-errors")).ToContainTextAsync("Unknown property 'conversation' on limetype 'company'");
        Assert.Empty(await Host.Get<EmailIntegration.Core.Views.ViewConfigurationService>().ListAsync());

        // A deal is a conversation parent: its default view has the column already, and it is not added twice.
        await page.GotoAsync("/settings/table-views/edit?limetype=deal");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("add-unread-column").ClickAsync();
        await Expect(page.GetByText("The view has the guide's 📫 column already.")).ToBeVisibleAsync();
        await page.GetByTestId("save-view").ClickAsync();
        await Expect(page.GetByText("Table view saved (version 1).")).ToBeVisibleAsync();
        var view = await Host.Get<EmailIntegration.Core.Views.ViewConfigurationService>().TableViewAsync("deal");
        Assert.True(view.IsStored);
        Assert.Equal(1, view.Columns.Count(c => c.Component == EmailIntegration.Core.Views.ViewComponentNames.UnreadIndicator));
        await ScreenshotAsync(page, "table-view-editor");
    }

    [Fact]
    public async Task An_admin_builds_a_filter_in_the_builder_sees_the_json_edits_the_json_sees_the_builder_and_the_preview_counts_as_a_query_does()
    {
        var store = Host.Get<ObjectStore>();
        for (var i = 0; i < 5; i++)
        {
            var ticket = await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = $"Ticket {i}", ["status"] = i < 2 ? "done" : "started" }, "test");
            await store.CreateAsync("conversation", new Dictionary<string, object?>
            {
                ["subject"] = $"Ticket {i}",
                ["helpdesk"] = ticket,
                ["earliestunread"] = i % 2 == 0 ? DateTime.UtcNow : null,
            }, "test");
        }

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/filters/edit");
        await WaitInteractiveAsync(page);
        await page.Locator("[data-testid=filter-id] input, input[data-testid=filter-id]").First.FillAsync("helpdesk.notdone");
        await page.Locator("[data-testid=filter-name-0] input, input[data-testid=filter-name-0]").First.FillAsync("Not done");

        // The builder writes the JSON.
        await page.GetByTestId("fb-add-condition").ClickAsync();
        await page.GetByTestId("fb-property-0").SelectOptionAsync("status");
        await page.GetByTestId("fb-op-0").SelectOptionAsync("!=");
        await page.GetByTestId("fb-value-0").SelectOptionAsync("done");
        var json = page.GetByTestId("filter-json").Locator(".view-lines");
        await Expect(json).ToContainTextAsync("\"status\"");
        await Expect(json).ToContainTextAsync("\"done\"");
        var notDone = System.Text.Json.Nodes.JsonNode.Parse("""{"op":"AND","exp":[{"key":"status","op":"!=","exp":"done"}]}""");
        var expected = await store.CountAsync("helpdesk", notDone, QueryContext.Anonymous);
        Assert.Equal(3, expected);
        await Expect(page.GetByTestId("filter-preview-count")).ToHaveTextAsync(expected.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The JSON, edited, rebuilds the builder: a condition across the conversation relation.
        await page.GetByTestId("filter-json").Locator(".view-lines").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.InsertTextAsync("""{"key": "conversation.earliestunread", "op": "!=", "exp": null}""");
        // Note: the editor closes brackets and quotes as they are typed; what it added after the cursor goes.
        await page.Keyboard.PressAsync("Shift+Control+End");
        await page.Keyboard.PressAsync("Delete");
        await Expect(page.GetByTestId("fb-property-0")).ToHaveValueAsync("conversation");
        await Expect(page.GetByTestId("fb-property-0-1")).ToHaveValueAsync("earliestunread");
        var unread = System.Text.Json.Nodes.JsonNode.Parse("""{"key":"conversation.earliestunread","op":"!=","exp":null}""");
        var unreadCount = await store.CountAsync("helpdesk", unread, QueryContext.Anonymous);
        Assert.Equal(3, unreadCount);
        await Expect(page.GetByTestId("filter-preview")).ToContainTextAsync($"{unreadCount} objects match");
        await ScreenshotAsync(page, "filter-editor");

        await page.GetByTestId("save-filter").ClickAsync();
        await Expect(page.GetByText("Filter saved (version 1).")).ToBeVisibleAsync();
        var saved = Assert.Single(await Host.Get<EmailIntegration.Core.Views.ViewConfigurationService>().FiltersAsync("helpdesk"));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(unread, saved.Expression), saved.Expression.ToJsonString());
        Assert.Equal("Not done", saved.Title);
    }

    [Fact]
    public async Task A_file_with_one_invalid_item_imports_nothing_and_the_importer_names_the_item_and_its_path()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/config-importer");
        await WaitInteractiveAsync(page);

        await page.GetByTestId("import-json").FillAsync("""
            [{"id": "ok.filter", "limetype": "helpdesk", "name": "Fine", "filter": {"key": "status", "op": "=", "exp": "done"}},
             {"id": "bad.filter", "limetype": "helpdesk", "name": "Broken", "filter": {"key": "stauts", "op": "=", "exp": "done"}}]
            """);
        await page.GetByTestId("import-check").ClickAsync();

        var bad = page.GetByTestId("plan-Filter-bad.filter");
        await Expect(bad.GetByTestId("plan-action")).ToHaveTextAsync("Invalid");
        await Expect(bad).ToContainTextAsync("[1].filter.key");
        await Expect(bad).ToContainTextAsync("Unknown property 'stauts'");
        await Expect(page.GetByTestId("import-apply")).ToBeDisabledAsync();
        Assert.Empty(await Host.Get<EmailIntegration.Core.Views.ViewConfigurationService>().ListAsync());
    }
}
