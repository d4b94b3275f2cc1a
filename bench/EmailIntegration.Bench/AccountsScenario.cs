using System.Diagnostics;
using System.Text.Json;
using EmailIntegration.Core.Settings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Bench;

/// <summary>
/// Many accounts watched at once. N password mailboxes on the stack (each signed in once, so it
/// exists), all added to one App as accounts; the App as its own process watches each with IMAP
/// IDLE. A mailbox counts as watched when Dovecot's process for it runs IDLE.
/// Three starts of the App: with no account (its memory at rest), with one account (memory, and
/// the latency at the load below), and with all N (time until all are watched, memory, latency);
/// then a restart with all N, now known to sign in, for the time until all are watched again.
/// The load: mail at a steady rate to random accounts, each timed from the end of its SMTP send
/// until its ticket is in the database.
/// </summary>
internal static class AccountsScenario
{
    public static async Task RunAsync(int accounts, double rate, int seconds, int baselineSeconds)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var prefix = $"acct-{tag}-";
        var mailboxes = Enumerable.Range(0, accounts).Select(i => $"{prefix}{i:0000}@{Environment.GetEnvironmentVariable("MAILSTACK_DOMAIN")}").ToList();
        var root = Path.Combine(Path.GetTempPath(), "emailintegration-bench", "accounts-" + tag);
        var empty = Path.Combine(root, "empty");
        var dataPath = Path.Combine(root, "data");
        var figures = new Dictionary<string, object?>
        {
            ["scenario"] = "accounts",
            ["accounts"] = accounts,
            ["rate_per_s"] = rate,
            ["cores"] = Environment.ProcessorCount,
            ["load_average_at_start"] = LoadAverage(),
        };
        try
        {
            var provision = Stopwatch.StartNew();
            await ProvisionAsync(mailboxes);
            figures["provision_mailboxes_s"] = Math.Round(provision.Elapsed.TotalSeconds, 1);

            // No account: the App at rest.
            Directory.CreateDirectory(empty);
            var started = new TaskCompletionSource();
            await using (var app = new RunningApp(AppProcess.Start(empty, started)))
            {
                await started.Task.WaitAsync(TimeSpan.FromMinutes(5));
                await Task.Delay(TimeSpan.FromSeconds(5));
                figures["rss_0_accounts_mb"] = await SteadyRssAsync(app.Id);
            }

            // One account.
            var (provider, first) = await MailBench.ProductAsync(dataPath, mailboxes[0]);
            var ids = new List<Guid> { first };
            await using (var app = new RunningApp(AppProcess.Start(dataPath)))
            {
                var one = await WatchAllAsync(app, dataPath, prefix, 1);
                figures["rss_1_account_mb"] = await SteadyRssAsync(app.Id);
                Console.Error.WriteLine($"one account watched after {one:F1} s; mail at {rate}/s for {baselineSeconds} s");
                var load = await MailLoad.RunAsync(dataPath, app.Id, mailboxes.Take(1).ToList(), rate, TimeSpan.FromSeconds(baselineSeconds), tag + "-one");
                Merge(figures, load.Figures("latency_1_account_"));
            }

            // All of them: the first start checks each new account's sign-in before it watches it.
            var adding = Stopwatch.StartNew();
            foreach (var mailbox in mailboxes.Skip(1))
            {
                ids.Add(await MailBench.AddAccountAsync(provider, mailbox, inRuntimeConfiguration: false));
            }

            var errors = await provider.GetRequiredService<SettingsStore>().SaveRuntimeAsync(MailBench.RuntimeConfigurationJson(ids), "bench");
            if (errors.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", errors));
            }

            figures["add_accounts_s"] = Math.Round(adding.Elapsed.TotalSeconds, 1);
            await provider.DisposeAsync();
            SqliteConnection.ClearAllPools();
            var hostStarted = new TaskCompletionSource();
            await using (var app = new RunningApp(AppProcess.Start(dataPath, hostStarted)))
            {
                var startedAfter = hostStarted.Task.ContinueWith(_ => (DateTime.Now - app.StartTime).TotalSeconds, TaskScheduler.Default);
                figures["watching_all_first_start_s"] = Math.Round(await WatchAllAsync(app, dataPath, prefix, accounts), 1);
                figures["app_host_started_s"] = Math.Round(await startedAfter, 1);
                figures["rss_all_accounts_mb"] = await SteadyRssAsync(app.Id);
                figures["peak_rss_all_accounts_mb"] = Math.Round(AppProcess.Status(app.Id, "VmHWM"));
                figures["app_threads"] = AppProcess.Status(app.Id, "Threads");
                figures["dovecot_pss_mb"] = Math.Round(AppProcess.DovecotPssMb());
                Console.Error.WriteLine($"all {accounts} watched; mail at {rate}/s for {seconds} s");
                var load = await MailLoad.RunAsync(dataPath, app.Id, mailboxes, rate, TimeSpan.FromSeconds(seconds), tag + "-all");
                Merge(figures, load.Figures("latency_all_accounts_"));
                figures["rss_all_accounts_after_load_mb"] = Math.Round(AppProcess.Status(app.Id, "VmRSS"));
            }

            // A restart: every account signed in before, so none is checked again.
            await AppProcess.WaitAsync(() => AppProcess.Idling(prefix) == 0, TimeSpan.FromSeconds(60), 250);
            await using (var app = new RunningApp(AppProcess.Start(dataPath)))
            {
                figures["watching_all_restart_s"] = Math.Round(await WatchAllAsync(app, dataPath, prefix, accounts), 1);
            }

            figures["load_average_at_end"] = LoadAverage();
            figures["targets_met"] = (double)figures["rss_all_accounts_mb"]! <= 500
                && figures["latency_all_accounts_median_ms"] is double median && median <= 2000
                && figures["latency_all_accounts_p90_ms"] is double p90 && p90 <= 5000;
            Console.WriteLine(JsonSerializer.Serialize(figures));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Signs in to each mailbox once, so Dovecot has made it before the App first connects.</summary>
    private static async Task ProvisionAsync(IReadOnlyList<string> mailboxes) =>
        await Parallel.ForEachAsync(mailboxes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (mailbox, ct) =>
        {
            using var imap = await MailBench.OpenAsync(mailbox);
            await imap.Inbox.OpenAsync(MailKit.FolderAccess.ReadOnly, ct);
            await imap.DisconnectAsync(true, ct);
        });

    /// <summary>
    /// Seconds from the App's start until all <paramref name="count"/> mailboxes are in IDLE and every
    /// account's first import pass has run (the pass each watcher starts with).
    /// </summary>
    private static async Task<double> WatchAllAsync(RunningApp app, string dataPath, string prefix, int count)
    {
        var since = DateTime.Now - app.StartTime;
        var watch = Stopwatch.StartNew();
        var last = -1;
        await AppProcess.WaitAsync(() =>
        {
            var idling = AppProcess.Idling(prefix);
            if (idling / 100 != last / 100)
            {
                Console.Error.WriteLine($"{since + watch.Elapsed:mm\\:ss} {idling} watched");
                last = idling;
            }

            return idling >= count;
        }, TimeSpan.FromMinutes(10), 250);
        var watching = since + watch.Elapsed;
        await AppProcess.WaitAsync(() => AppProcess.Scalar(dataPath, "SELECT COUNT(DISTINCT AccountId) FROM ImportRuns") >= count, TimeSpan.FromMinutes(10), 250);
        Console.Error.WriteLine($"all watched after {watching.TotalSeconds:F1} s; first passes done after {(since + watch.Elapsed).TotalSeconds:F1} s");
        return watching.TotalSeconds;
    }

    /// <summary>The process's resident memory in MB: the median of ten readings a second apart.</summary>
    private static async Task<double> SteadyRssAsync(int pid)
    {
        var readings = new List<double>();
        for (var i = 0; i < 10; i++)
        {
            readings.Add(AppProcess.Status(pid, "VmRSS"));
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        return Math.Round(readings.Order().ElementAt(readings.Count / 2));
    }

    /// <summary>The App's process, ended however the phase ends.</summary>
    private sealed class RunningApp(Process process) : IAsyncDisposable
    {
        public int Id => process.Id;

        public DateTime StartTime => process.StartTime;

        public async ValueTask DisposeAsync()
        {
            await AppProcess.StopAsync(process);
            process.Dispose();
        }
    }

    /// <summary>The machine's one-minute load average: on a shared machine the figures mean little without it.</summary>
    private static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static void Merge(Dictionary<string, object?> figures, Dictionary<string, object?> more)
    {
        foreach (var (key, value) in more)
        {
            figures[key] = value;
        }
    }
}
