using System.Globalization;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Bench;

/// <summary>
/// What the start page's info tiles and a table view ask at size, on the data of the query
/// scenario: the count of "has unread" and of "mine and not done", and a table view's page
/// (50 rows, newest first, the person's name and two aggregates over the conversations) without
/// a filter, with "has unread" and with "first unread in the first ten hours" (few and old). Every call goes through the product's ObjectStore; a bare
/// SQLite count of the unread tickets on the same file is the ceiling.
/// </summary>
internal static class ViewsScenario
{
    private static readonly JsonNode MineOpen = JsonNode.Parse(
        """{"op":"AND","exp":[{"key":"coworker","op":"=","exp":"$me"},{"key":"status","op":"!=","exp":"done"}]}""")!;

    // The 60 tickets first unread in the seed's first ten hours: few, and the oldest, so a page
    // in newest-first order that tested ticket by ticket would read nearly all of them to fill.
    private static readonly JsonNode OldestUnread = JsonNode.Parse(
        """{"key":"conversation.earliestunread","op":"<","exp":"2025-01-01T10:00:00Z"}""")!;

    // Note: MAX(conversation.conversationmessage.date) would cross two has-many relations, which
    // an aggregate path cannot; the view counts the conversations instead.
    private static readonly Aggregate[] ViewAggregates =
    [
        new("min_earliestunread_0", "MIN", "conversation.earliestunread"),
        new("count_conversation_1", "COUNT", "conversation"),
    ];

    public static async Task RunAsync(int[] sizes, int runs)
    {
        var results = await QueryScenario.ForEachSizeAsync(sizes, async (provider, size, results) =>
        {
            var store = provider.GetRequiredService<ObjectStore>();
            var me = await store.ContextForUserAsync("user-0");
            QueryScenario.Check(me.CoworkerId is not null, "no coworker for user-0");
            var mineOpen = Enumerable.Range(0, size).Count(i => QueryScenario.CoworkerOf(i, size) == 0 && QueryScenario.Status(i) != "done");

            // The ceiling: the best a hand-written statement on one open connection does, reading
            // only the unread entries of the earliestunread index.
            await using var bare = new SqliteConnection(await ConnectionStringAsync(provider));
            await bare.OpenAsync();
            await using var ceiling = bare.CreateCommand();
            ceiling.CommandText = "SELECT COUNT(DISTINCT helpdesk_id) FROM lt_conversation INDEXED BY ix_lt_conversation_earliestunread WHERE earliestunread IS NOT NULL";
            var ceilingMs = results[("ceiling_count_unread", size)] = await QueryScenario.MeasureAsync("views", "ceiling_count_unread", size, runs, async () =>
            {
                var count = Convert.ToInt64(await ceiling.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                QueryScenario.Check(count == size / 10, $"the ceiling counted {count} unread tickets");
            });

            var tileMs = results[("tile_count_unread", size)] = await QueryScenario.MeasureAsync("views", "tile_count_unread", size, runs, async () =>
            {
                var count = await store.CountAsync("helpdesk", QueryScenario.HasUnread, QueryContext.Anonymous);
                QueryScenario.Check(count == size / 10, $"expected {size / 10} unread tickets, counted {count}");
            });
            QueryScenario.Print(new JsonObject
            {
                ["scenario"] = "views",
                ["measurement"] = "tile_count_unread_to_ceiling",
                ["rows"] = size,
                ["ratio"] = Math.Round(tileMs / ceilingMs, 2),
            });

            results[("tile_count_mine_open", size)] = await QueryScenario.MeasureAsync("views", "tile_count_mine_open", size, runs, async () =>
            {
                var count = await store.CountAsync("helpdesk", MineOpen, me);
                QueryScenario.Check(count == mineOpen, $"expected {mineOpen} open tickets of user-0, counted {count}");
            });

            results[("view_list_page", size)] = await QueryScenario.MeasureAsync("views", "view_list_page", size, runs, async () =>
            {
                var rows = await store.QueryAsync(ViewPage(null), QueryContext.Anonymous);
                QueryScenario.Check(rows.Count == 50 && (long)rows[0][CrmSchema.IdKey]! == size, "the page is not the 50 newest tickets");
            });

            results[("view_list_page_unread", size)] = await QueryScenario.MeasureAsync("views", "view_list_page_unread", size, runs, async () =>
            {
                var rows = await store.QueryAsync(ViewPage(QueryScenario.HasUnread), QueryContext.Anonymous);
                QueryScenario.Check(rows.Count == 50 && rows.All(r => r["min_earliestunread_0"] is DateTime), "the page is not 50 unread tickets");
            });

            results[("view_list_page_oldest_unread", size)] = await QueryScenario.MeasureAsync("views", "view_list_page_oldest_unread", size, runs, async () =>
            {
                var rows = await store.QueryAsync(ViewPage(OldestUnread), QueryContext.Anonymous);
                QueryScenario.Check(rows.Count == 50 && rows.All(r => r["min_earliestunread_0"] is DateTime), "the page is not 50 unread tickets");
            });
        });

        QueryScenario.PrintGrowth("views", sizes, results);
    }

    /// <summary>A table view's page as the view asks for it: its columns, aggregates and order.</summary>
    private static LimeQuery ViewPage(JsonNode? filter) => new("helpdesk")
    {
        Filter = filter,
        Order = [new OrderBy(CrmSchema.CreatedKey, Descending: true)],
        Limit = 50,
        Columns = ["person.name"],
        Aggregates = ViewAggregates,
    };

    private static async Task<string> ConnectionStringAsync(ServiceProvider provider)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return db.Database.GetConnectionString()!;
    }
}
