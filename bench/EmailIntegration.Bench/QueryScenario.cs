using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Bench;

/// <summary>
/// The object store at size: N persons, N tickets, N conversations and 5N messages in a fresh
/// SQLite file, then the medians of a person lookup by email, the ticket list page (50 rows,
/// newest first, with MIN(conversation.earliestunread) and the "has unread" filter) and the
/// count of that filter. Every call goes through the product's ObjectStore.
/// </summary>
internal static class QueryScenario
{
    internal static readonly JsonNode HasUnread = JsonNode.Parse("""{"key":"conversation.earliestunread","op":"!=","exp":null}""")!;

    public static async Task RunAsync(int[] sizes, int runs)
    {
        var results = await ForEachSizeAsync(sizes, async (provider, size, results) =>
        {
            var store = provider.GetRequiredService<ObjectStore>();
            var random = new Random(42);

            results[("lookup_by_email", size)] = await MeasureAsync("query", "lookup_by_email", size, runs, async () =>
            {
                var email = $"person{random.Next(size)}@example.test";
                await using var session = await store.OpenAsync(null);
                var found = await session.FindAsync("person", "email", email, 1);
                Check(found.Count == 1, $"no person with {email}");
            });

            results[("ticket_list_page_unread", size)] = await MeasureAsync("query", "ticket_list_page_unread", size, runs, async () =>
            {
                var rows = await store.QueryAsync(new LimeQuery("helpdesk")
                {
                    Filter = HasUnread,
                    Order = [new OrderBy(CrmSchema.CreatedKey, Descending: true)],
                    Limit = 50,
                    Columns = ["person.name"],
                    Aggregates = [new Aggregate("min_earliestunread_0", "MIN", "conversation.earliestunread")],
                }, QueryContext.Anonymous);
                Check(rows.Count == 50 && rows.All(r => r["min_earliestunread_0"] is DateTime), "the page is not 50 unread tickets");
            });

            results[("count_unread", size)] = await MeasureAsync("query", "count_unread", size, runs, async () =>
            {
                var count = await store.CountAsync("helpdesk", HasUnread, QueryContext.Anonymous);
                Check(count == size / 10, $"expected {size / 10} unread tickets, counted {count}");
            });
        });

        PrintGrowth("query", sizes, results);
    }

    /// <summary>
    /// For each size a fresh SQLite file, seeded, then the scenario's measurements (each adds its
    /// median under (name, size)); the file is removed afterwards.
    /// </summary>
    internal static async Task<Dictionary<(string Name, int Size), double>> ForEachSizeAsync(
        int[] sizes, Func<ServiceProvider, int, Dictionary<(string Name, int Size), double>, Task> measure)
    {
        var results = new Dictionary<(string Name, int Size), double>();
        foreach (var size in sizes)
        {
            var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
            try
            {
                await using var provider = await OpenAsync(dataPath);
                var seedTime = Stopwatch.StartNew();
                await SeedAsync(provider, size);
                Console.Error.WriteLine($"seeded {size} persons/tickets/conversations, {Coworkers(size)} coworkers and {size * 5} messages in {seedTime.Elapsed.TotalSeconds:F1} s");
                await measure(provider, size, results);
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(dataPath, recursive: true);
            }
        }

        return results;
    }

    /// <summary>With two sizes or more, each measurement's large median over its small one.</summary>
    internal static void PrintGrowth(string scenario, int[] sizes, Dictionary<(string Name, int Size), double> results)
    {
        if (sizes.Length < 2)
        {
            return;
        }

        var (small, large) = (sizes.Min(), sizes.Max());
        foreach (var name in results.Keys.Select(k => k.Name).Distinct())
        {
            Print(new JsonObject
            {
                ["scenario"] = scenario,
                ["measurement"] = name + "_growth",
                ["ratio_large_to_small"] = Math.Round(results[(name, large)] / results[(name, small)], 2),
                ["small_rows"] = small,
                ["large_rows"] = large,
            });
        }
    }

    internal static async Task<double> MeasureAsync(string scenario, string name, int size, int runs, Func<Task> action)
    {
        for (var i = 0; i < 3; i++)
        {
            await action();
        }

        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        var median = samples[samples.Count / 2];
        Print(new JsonObject
        {
            ["scenario"] = scenario,
            ["measurement"] = name,
            ["rows"] = size,
            ["median_ms"] = Math.Round(median, 3),
            ["min_ms"] = Math.Round(samples[0], 3),
            ["max_ms"] = Math.Round(samples[^1], 3),
            ["runs"] = runs,
        });
        return median;
    }

    internal static async Task<ServiceProvider> OpenAsync(string dataPath)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EmailIntegration:DataPath"] = dataPath })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPersistence(configuration);
        services.AddCrm();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        return provider;
    }

    /// <summary>
    /// Bulk rows straight into the product's tables (the setup is not what is measured): every
    /// tenth conversation has an unread message, each conversation has five messages, tickets
    /// take turns among the coworkers and most of them are done.
    /// </summary>
    private static async Task SeedAsync(ServiceProvider provider, int size)
    {
        await using var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        string Time(int minutes) => start.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        await InsertAsync(connection, transaction, size,
            "INSERT INTO lt_person (id, _created, _updated, name, email) VALUES ($id, $t, $t, $name, $email)",
            (c, i) => Set(c, ("$id", i + 1), ("$t", Time(i)), ("$name", $"Person {i}"), ("$email", $"person{i}@example.test")));
        await InsertAsync(connection, transaction, Coworkers(size),
            "INSERT INTO lt_coworker (id, _created, _updated, name, email, username) VALUES ($id, $t, $t, $name, $email, $user)",
            (c, i) => Set(c, ("$id", i + 1), ("$t", Time(i)), ("$name", $"Coworker {i}"), ("$email", $"coworker{i}@example.test"), ("$user", $"user-{i}")));
        await InsertAsync(connection, transaction, size,
            "INSERT INTO lt_helpdesk (id, _created, _updated, subject, status, source, person_id, coworker_id) VALUES ($id, $t, $t, $s, $st, 'email', $p, $cw)",
            (c, i) => Set(c, ("$id", i + 1), ("$t", Time(i)), ("$s", $"Ticket {i}"), ("$st", Status(i)), ("$p", i + 1), ("$cw", CoworkerOf(i, size) + 1)));
        await InsertAsync(connection, transaction, size,
            "INSERT INTO lt_conversation (id, _created, _updated, subject, threadid, source, helpdesk_id, earliestunread) VALUES ($id, $t, $t, $s, $th, 'email', $h, $u)",
            (c, i) => Set(c, ("$id", i + 1), ("$t", Time(i)), ("$s", $"Ticket {i}"), ("$th", $"<thread{i}@example.test>"), ("$h", i + 1),
                ("$u", i % 10 == 0 ? Time(i + 1) : null)));
        await InsertAsync(connection, transaction, size * 5,
            "INSERT INTO lt_conversationmessage (id, _created, _updated, subject, message, emailid, uniqueid, date, incoming, isread, conversation_id) " +
            "VALUES ($id, $t, $t, $s, $m, $e, $u, $t, 1, $r, $c)",
            (c, i) => Set(c, ("$id", i + 1), ("$t", Time(i / 5)), ("$s", $"Message {i}"), ("$m", "Hello, this is a realistic enough body of a message."),
                ("$e", $"<m{i}@example.test>"), ("$u", $"account:{i}"), ("$r", (i / 5) % 10 == 0 && i % 5 == 4 ? 0 : 1), ("$c", (i / 5) + 1)));
        await transaction.CommitAsync();
        await using var analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE";
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>One coworker per thousand tickets, so each one's share of the tickets is the same at every size.</summary>
    internal static int Coworkers(int size) => Math.Max(1, size / 1000);

    /// <summary>The coworker (0-based) responsible for ticket i (0-based): the tickets take turns.</summary>
    internal static int CoworkerOf(int ticket, int size) => ticket % Coworkers(size);

    /// <summary>Five in seven tickets are done, one reported and one without a status.</summary>
    internal static string? Status(int ticket) => (ticket % 7) switch { 0 => "reported", 1 => null, _ => "done" };

    internal static async Task InsertAsync(SqliteConnection connection, SqliteTransaction transaction, int count, string sql, Action<SqliteCommand, int> bind)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        for (var i = 0; i < count; i++)
        {
            command.Parameters.Clear();
            bind(command, i);
            await command.ExecuteNonQueryAsync();
        }
    }

    internal static void Set(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    internal static void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }

    internal static void Print(JsonObject result) => Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
}
