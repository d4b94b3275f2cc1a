using System.Diagnostics;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Inbox;
using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Bench;

/// <summary>
/// The support inbox at size (<see cref="InboxSeed"/>): the page a person opens, 50 tickets with
/// the unread filter in newest-activity order with the shipped view's columns, as rows and total
/// (what the list asks); "Search all mail" over the message bodies as the same page, for words of
/// several frequencies, two words, a prefix, a sender address and an attachment's file name; and,
/// with the mail stack running, the import's rate with the search index kept in its transaction
/// against the same import without it. Every call goes through the product's services.
/// </summary>
internal static class InboxScenario
{
    private static readonly Aggregate[] ViewAggregates = [new("min_earliestunread_0", "MIN", "conversation.earliestunread")];

    /// <summary>The unread tickets of the main inbox figure, at every size.</summary>
    private const int Backlog = 1_000;

    public static async Task RunAsync(int[] sizes, int runs, int importCount)
    {
        var results = new Dictionary<(string Name, int Size), double>();
        foreach (var size in sizes)
        {
            var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
            try
            {
                await using var provider = await QueryScenario.OpenAsync(dataPath);
                var seedTime = Stopwatch.StartNew();
                var backfill = await InboxSeed.SeedAsync(provider, size);
                Console.Error.WriteLine($"seeded {size} tickets and {size * 5} messages in {seedTime.Elapsed.TotalSeconds:F1} s, of which the backfill {backfill.TotalSeconds:F1} s");
                QueryScenario.Print(new JsonObject
                {
                    ["scenario"] = "inbox",
                    ["measurement"] = "backfill",
                    ["rows"] = size,
                    ["messages"] = size * 5,
                    ["seconds"] = Math.Round(backfill.TotalSeconds, 1),
                });
                await MeasurePagesAsync(provider, size, runs, results);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dataPath, recursive: true);
            }
        }

        QueryScenario.PrintGrowth("inbox", sizes, results);
        if (Environment.GetEnvironmentVariable("MAILSTACK_HOST") is { Length: > 0 })
        {
            await InboxImport.RunAsync(importCount);
        }
        else
        {
            Console.Error.WriteLine("import with and without the search index skipped: start tools/mailstack/start.sh and source its env file");
        }
    }

    private static async Task MeasurePagesAsync(ServiceProvider provider, int size, int runs, Dictionary<(string Name, int Size), double> results)
    {
        var store = provider.GetRequiredService<ObjectStore>();
        var inbox = new InboxList("helpdesk", "conversation", KeepsLastActivity: true);
        var unread = new LimeQuery("helpdesk")
        {
            Filter = QueryScenario.HasUnread,
            Order = [InboxService.DefaultOrder(inbox)],
            Limit = 50,
            Columns = ["person.name", "coworker.name"],
            Aggregates = ViewAggregates,
        };

        // First a tenth of all tickets unread (the query scenario's share): the unread set grows with the archive.
        results[("inbox_page_tenth_unread", size)] = await MeasureInboxPageAsync(store, unread, "inbox_page_tenth_unread", size, runs, size / 10);

        // Then an unread backlog of the same size at both sizes, as a team that reads its mail keeps it:
        // the rest of the tickets' messages are read (spread evenly, so the backlog is not the newest).
        var keepEvery = Math.Max(1, size / 10 / Backlog);
        await using (var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            await db.Database.ExecuteSqlAsync(
                $"UPDATE lt_conversation SET earliestunread = NULL WHERE earliestunread IS NOT NULL AND ((id - 1) / 10) % {keepEvery} <> 0");
        }

        results[("inbox_page", size)] = await MeasureInboxPageAsync(store, unread, "inbox_page", size, runs, Math.Min(Backlog, size / 10));
        results[("inbox_page_rows", size)] = await QueryScenario.MeasureAsync("inbox", "inbox_page_rows", size, runs, async () =>
            QueryScenario.Check((await store.QueryAsync(unread, QueryContext.Anonymous)).Count == 50, "the page is not 50 rows"));
        results[("inbox_page_all", size)] = await QueryScenario.MeasureAsync("inbox", "inbox_page_all", size, runs, async () =>
        {
            var all = unread with { Filter = null };
            var rows = await store.QueryAsync(all, QueryContext.Anonymous);
            QueryScenario.Check(rows.Count == 50 && await store.CountAsync(all, QueryContext.Anonymous) == size, "the page is not 50 of all tickets");
        });

        // What people search for (in all tickets): words of falling frequency, two words, a word typed halfway, a sender, a file name.
        var random = new Random(3);
        var searches = new (string Name, Func<string> Text)[]
        {
            ("search_common_word", () => InboxSeed.Word(20)),
            ("search_medium_word", () => InboxSeed.Word(500)),
            ("search_rare_word", () => InboxSeed.Word(10_000)),
            ("search_two_words", () => $"{InboxSeed.Word(100)} {InboxSeed.Word(2_000)}"),
            ("search_prefix", () => InboxSeed.Word(300)[..5]),
            ("search_sender", () => InboxSeed.PersonAddress(random.Next(size))),
            ("search_file_name", () => InboxSeed.FileName(random.Next(size / 2))),
        };
        var all = new List<double>();
        foreach (var (name, text) in searches)
        {
            var matches = 0L;
            var samples = new List<double>();
            results[(name, size)] = await QueryScenario.MeasureAsync("inbox", name, size, runs, async () =>
            {
                var query = unread with { Filter = null, Match = InboxService.Match(inbox, text()) };
                var watch = Stopwatch.StartNew();
                var rows = await store.QueryAsync(query, QueryContext.Anonymous);
                matches = await store.CountAsync(query, QueryContext.Anonymous);
                samples.Add(watch.Elapsed.TotalMilliseconds);
                QueryScenario.Check(matches > 0 && rows.Count == Math.Min(50, matches), $"{name}: {rows.Count} rows of {matches}");
            });
            // The measured runs only, not the three that warm up.
            all.AddRange(samples.Skip(3));
            QueryScenario.Print(new JsonObject { ["scenario"] = "inbox", ["measurement"] = name + "_tickets_found", ["rows"] = size, ["tickets"] = matches });
        }

        all.Sort();
        results[("search_all_kinds", size)] = all[all.Count / 2];
        QueryScenario.Print(new JsonObject
        {
            ["scenario"] = "inbox",
            ["measurement"] = "search_all_kinds",
            ["rows"] = size,
            ["messages"] = size * 5,
            ["median_ms"] = Math.Round(all[all.Count / 2], 3),
            ["samples"] = all.Count,
        });
    }

    /// <summary>The inbox page as the list asks for it: the rows, and the total for the pager.</summary>
    private static Task<double> MeasureInboxPageAsync(ObjectStore store, LimeQuery unread, string name, int size, int runs, int expected) =>
        QueryScenario.MeasureAsync("inbox", name, size, runs, async () =>
        {
            var rows = await store.QueryAsync(unread, QueryContext.Anonymous);
            var total = await store.CountAsync(unread, QueryContext.Anonymous);
            QueryScenario.Check(rows.Count == 50 && total == expected && rows.All(r => r["min_earliestunread_0"] is DateTime), $"the page is not 50 of {expected} unread tickets ({total})");
            QueryScenario.Check(rows.Zip(rows.Skip(1)).All(p => (DateTime)p.First["lastactivity"]! >= (DateTime)p.Second["lastactivity"]!), "the page is not newest activity first");
        });
}
