using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Views;
using EmailIntegration.Tests.Core.Crm;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Core.Views;

public sealed class ViewConfigurationTests : CrmTestBase
{
    /// <summary>The guide's 📫 column, exactly as the configuration guide writes it.</summary>
    private const string GuideColumn =
        """{ "property": "conversation.earliestunread", "title": "📫", "isDefault": true, "aggregated": true, "aggregate": { "operator": "MIN", "key": "min_earliestunread_0" }, "component": { "name": "lwc-unread-message-icon-indicator", "props": {} } }""";

    private ViewConfigurationService Views => Database.Services.GetRequiredService<ViewConfigurationService>();

    private ConfigImporter Importer => Database.Services.GetRequiredService<ConfigImporter>();

    private static string Shipped(string file) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "wwwroot-assets", "config", file));

    private const string UnreadFilter = """
        {"id": "webclient.helpdesk.ticketswithunreadmessages", "limetype": "helpdesk",
         "name": {"en": "Tickets with unread messages"}, "filter": {"key": "conversation.earliestunread", "op": "!=", "exp": null}}
        """;

    [Fact]
    public async Task The_guides_column_pasted_as_written_into_a_helpdesk_view_is_accepted_and_becomes_the_unread_aggregate()
    {
        var saved = await Views.SaveAsync(ViewKind.TableView, $$"""{"limetype": "helpdesk", "columns": [{{GuideColumn}}]}""", null, "admin");

        Assert.Empty(saved.Errors);
        Assert.Contains("\"title\": \"📫\"", saved.Item!.Json, StringComparison.Ordinal);
        Assert.Contains("\"\\\\uD83D\"", ViewItemValidator.Serialize(System.Text.Json.Nodes.JsonNode.Parse("""{"a": "\\uD83D"}""")!), StringComparison.Ordinal);
        var view = await Views.TableViewAsync("helpdesk");
        var column = Assert.Single(view.Columns);
        Assert.Equal(("conversation.earliestunread", "📫", "MIN", "min_earliestunread_0", ViewComponentNames.UnreadIndicator),
            (column.Property, column.Title, column.AggregateOperator, column.AggregateKey, column.Component));
        Assert.Equal(new Aggregate("min_earliestunread_0", "MIN", "conversation.earliestunread"), Assert.Single(view.QueryAggregates));
    }

    [Fact]
    public async Task The_shipped_files_import_as_new_then_again_as_unchanged()
    {
        foreach (var file in new[] { "filters.json", "infotiles.json", "views.json" })
        {
            var plan = await Importer.ImportAsync(Shipped(file), "admin");
            Assert.True(plan.CanImport, string.Join("; ", plan.AllErrors));
            Assert.All(plan.Entries, e => Assert.Equal(ImportAction.New, e.Action));
        }

        Assert.Equal(4, (await Views.FiltersAsync("helpdesk")).Count);
        Assert.Contains(await Views.TilesAsync(), t => t.Filter == "webclient.helpdesk.ticketswithunreadmessages" && t.Type == "COUNT");

        var again = await Importer.PlanAsync(Shipped("infotiles.json"));
        Assert.All(again.Entries, e => Assert.Equal(ImportAction.Unchanged, e.Action));
    }

    [Fact]
    public async Task A_file_with_one_invalid_item_imports_nothing_and_names_the_item_and_its_path()
    {
        var file = $$$"""
            {"filters": [{{{UnreadFilter}}},
              {"id": "helpdesk.broken", "limetype": "helpdesk", "name": "Broken",
               "filter": {"op": "AND", "exp": [{"key": "status", "op": "=", "exp": "done"}, {"key": "persn.name", "op": "=", "exp": "x"}]}}],
             "infoTiles": [{"name": "Unread", "limetype": "helpdesk", "filter": "webclient.helpdesk.ticketswithunreadmessages", "type": "COUNT"}]}
            """;

        var plan = await Importer.ImportAsync(file, "admin");

        Assert.False(plan.CanImport);
        var invalid = Assert.Single(plan.Entries, e => e.Action == ImportAction.Invalid);
        Assert.Equal("helpdesk.broken", invalid.Id);
        var error = Assert.Single(invalid.Errors);
        Assert.Equal("filters[1].filter.exp[1].key", error.Path);
        Assert.Contains("persn", error.Message, StringComparison.Ordinal);
        Assert.Empty(await Views.ListAsync());
    }

    [Fact]
    public async Task Export_then_import_into_a_fresh_database_gives_identical_rows()
    {
        foreach (var file in new[] { "filters.json", "infotiles.json", "views.json" })
        {
            Assert.True((await Importer.ImportAsync(Shipped(file), "admin")).CanImport);
        }

        var exported = await Importer.ExportAsync();
        using var other = new CrmDatabase();
        await other.InitializeAsync();
        var plan = await other.Services.GetRequiredService<ConfigImporter>().ImportAsync(exported, "someone else");

        Assert.True(plan.CanImport, string.Join("; ", plan.AllErrors));
        static async Task<List<(ViewKind, string, string, string)>> Rows(IServiceProvider services)
        {
            await using var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            return (await db.Set<ViewItem>().ToListAsync()).Select(i => (i.Kind, i.ItemId, i.Limetype, i.Json)).OrderBy(r => r.Kind).ThenBy(r => r.ItemId).ToList();
        }

        var before = await Rows(Database.Services);
        Assert.Equal(9, before.Count);
        Assert.Equal(before, await Rows(other.Services));
        Assert.Equal(exported, await other.Services.GetRequiredService<ConfigImporter>().ExportAsync());
    }

    [Fact]
    public async Task A_replaced_item_is_shown_with_a_diff_and_its_earlier_version_can_be_restored()
    {
        Assert.Empty((await Views.SaveAsync(ViewKind.Filter, UnreadFilter, null, "ann")).Errors);
        var changed = UnreadFilter.Replace("Tickets with unread messages", "Unread", StringComparison.Ordinal);

        var plan = await Importer.PlanAsync($"[{changed}]");
        var entry = Assert.Single(plan.Entries);
        Assert.Equal(ImportAction.Replace, entry.Action);
        Assert.Contains(entry.Diff, l => l.Change == '-' && l.Text.Contains("Tickets with unread messages", StringComparison.Ordinal));
        Assert.Contains(entry.Diff, l => l.Change == '+' && l.Text.Contains("\"Unread\"", StringComparison.Ordinal));

        Assert.True((await Importer.ImportAsync($"[{changed}]", "bob")).CanImport);
        var history = await Views.HistoryAsync(ViewKind.Filter, "webclient.helpdesk.ticketswithunreadmessages");
        Assert.Equal([(2, "imported", "bob"), (1, "created", "ann")], history.Select(h => (h.Version, h.Change, h.By)).ToArray());

        var restored = await Views.RestoreAsync(ViewKind.Filter, "webclient.helpdesk.ticketswithunreadmessages", 1, "carl");
        Assert.Empty(restored.Errors);
        Assert.Equal("Tickets with unread messages", (await Views.FiltersAsync()).Single().Title);
        Assert.Equal(3, restored.Item!.Version);
    }

    [Fact]
    public async Task A_filter_a_tile_uses_cannot_be_deleted_or_moved_to_another_limetype_and_its_property_cannot_be_removed()
    {
        Assert.True((await Importer.ImportAsync(Shipped("filters.json"), "admin")).CanImport);
        Assert.True((await Importer.ImportAsync(Shipped("infotiles.json"), "admin")).CanImport);

        var refusal = await Views.DeleteAsync(ViewKind.Filter, "webclient.helpdesk.mine", "admin");
        Assert.Contains("info tile 'helpdesk.my-open-tickets'", refusal, StringComparison.Ordinal);

        var moved = await Views.SaveAsync(ViewKind.Filter,
            """{"id": "webclient.helpdesk.mine", "limetype": "deal", "name": "Mine", "filter": {"key": "coworker", "op": "=", "exp": "$me"}}""",
            "webclient.helpdesk.mine", "admin");
        Assert.Contains(moved.Errors, e => e.Path == "limetype" && e.Message.Contains("helpdesk.my-open-tickets", StringComparison.Ordinal));

        await Database.Schema.AddPropertyAsync("helpdesk", new NewProperty("priority", "Priority", PropertyType.Integer));
        Assert.Empty((await Views.SaveAsync(ViewKind.Filter,
            """{"id": "urgent", "limetype": "helpdesk", "name": "Urgent", "filter": {"key": "priority", "op": ">", "exp": 3}}""", null, "admin")).Errors);
        var removal = await Assert.ThrowsAsync<CrmException>(() => Database.Schema.RemovePropertyAsync("helpdesk", "priority"));
        Assert.Contains("filter 'urgent'", removal.Message, StringComparison.Ordinal);

        Assert.Null(await Views.DeleteAsync(ViewKind.Filter, "urgent", "admin"));
        await Database.Schema.RemovePropertyAsync("helpdesk", "priority");
    }

    [Fact]
    public async Task Every_error_names_its_json_path_and_says_what_to_write()
    {
        var saved = await Views.SaveAsync(ViewKind.InfoTile,
            """{"name": "Sum", "limetype": "helpdesk", "filter": "nope", "type": "AVG", "decimals": 9, "colour": "red"}""", null, "admin");

        var byPath = saved.Errors.ToDictionary(e => e.Path, e => e.Message);
        Assert.Contains("there is no filter 'nope'", byPath["filter"], StringComparison.Ordinal);
        Assert.Contains("\"COUNT\"", byPath["type"], StringComparison.Ordinal);
        Assert.Contains("0 to 6", byPath["decimals"], StringComparison.Ordinal);
        Assert.Contains("'colour' is not a key here", byPath["colour"], StringComparison.Ordinal);

        var view = await Views.SaveAsync(ViewKind.TableView,
            """{"limetype": "helpdesk", "columns": [{"property": "conversation"}, {"property": "person.nam"}, {"property": "subject", "component": {"name": "sparkline"}}]}""",
            null, "admin");
        var viewErrors = view.Errors.ToDictionary(e => e.Path, e => e.Message);
        Assert.Contains("aggregated", viewErrors["columns[0].property"], StringComparison.Ordinal);
        Assert.Contains("Unknown property 'nam'", viewErrors["columns[1].property"], StringComparison.Ordinal);
        Assert.Contains(ViewComponentNames.UnreadIndicator, viewErrors["columns[2].component.name"], StringComparison.Ordinal);
        Assert.Empty(await Views.ListAsync());
    }

    [Fact]
    public async Task A_tile_counts_what_its_filter_matches_for_the_signed_in_coworker_and_sums_a_number()
    {
        var me = await Database.Store.CreateAsync("coworker", new Dictionary<string, object?> { ["name"] = "Me", ["username"] = "user-1" }, "test");
        await Database.Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Mine", ["status"] = "started", ["coworker"] = me }, "test");
        await Database.Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Mine, done", ["status"] = "done", ["coworker"] = me }, "test");
        await Database.Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Nobody's" }, "test");
        await Database.Store.CreateAsync("deal", new Dictionary<string, object?> { ["name"] = "A", ["value"] = 1500.0, ["status"] = "won" }, "test");
        await Database.Store.CreateAsync("deal", new Dictionary<string, object?> { ["name"] = "B", ["value"] = 2500.0, ["status"] = "won" }, "test");
        await Database.Store.CreateAsync("deal", new Dictionary<string, object?> { ["name"] = "C", ["value"] = 9000.0, ["status"] = "lost" }, "test");
        Assert.True((await Importer.ImportAsync(Shipped("filters.json"), "admin")).CanImport);
        Assert.True((await Importer.ImportAsync(Shipped("infotiles.json"), "admin")).CanImport);
        Assert.True((await Importer.ImportAsync("""
            {"filters": [{"id": "deal.won", "limetype": "deal", "name": "Won", "filter": {"key": "status", "op": "=", "exp": "won"}}],
             "infoTiles": [{"id": "deal.won.value", "name": "Won", "limetype": "deal", "filter": "deal.won", "type": "SUM", "property": "value",
                            "prefix": "SEK ", "suffix": "k", "divisor": 1000, "decimals": 1}]}
            """, "admin")).CanImport);

        var tiles = await Views.TilesAsync();
        var context = await Database.Store.ContextForUserAsync("user-1");
        var mine = tiles.Single(t => t.Filter == "webclient.helpdesk.mine");
        Assert.Equal(1, await Views.TileValueAsync(mine, context));
        Assert.Equal(0, await Views.TileValueAsync(mine, QueryContext.Anonymous));
        Assert.Equal(1, await Views.TileValueAsync(tiles.Single(t => t.Filter == "webclient.helpdesk.unassigned"), context));
        var won = tiles.Single(t => t.Id == "deal.won.value");
        Assert.Equal("SEK 4.0k", won.Format(await Views.TileValueAsync(won, context)));
    }

    [Fact]
    public async Task A_limetype_without_a_stored_view_gets_the_unread_column_when_it_is_a_conversation_parent()
    {
        var helpdesk = await Views.TableViewAsync("helpdesk");
        Assert.False(helpdesk.IsStored);
        Assert.Equal(ViewComponentNames.UnreadIndicator, helpdesk.Columns[0].Component);
        Assert.Contains(helpdesk.Activities, a => a.Path == "conversation.conversationmessage");

        var person = await Views.TableViewAsync("person");
        Assert.DoesNotContain(person.Columns, c => c.Aggregated);
        Assert.Contains(person.Activities, a => a.Path == "follower.messagefollower.conversationmessage");
    }
}
