using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>What a load run measured: each message's time from the end of its send to its ticket in the database.</summary>
/// <remarks>A percentile that falls among the messages never recorded is null.</remarks>
internal sealed record LoadResult(
    int Sent, int Recorded, double SentPerSecond, double? MedianMs, double? P90Ms, double? MaxMs, double SendMedianMs, double AppCpuSeconds, int Passes, double? PassMedianMs,
    double? PassP90Ms, double? BeforePassMedianMs, double? BeforePassP90Ms)
{
    public Dictionary<string, object?> Figures(string prefix) => new()
    {
        [prefix + "sent"] = Sent,
        [prefix + "recorded"] = Recorded,
        [prefix + "rate_per_s"] = Math.Round(SentPerSecond, 1),
        [prefix + "median_ms"] = MedianMs is { } median ? Math.Round(median) : null,
        [prefix + "p90_ms"] = P90Ms is { } p90 ? Math.Round(p90) : null,
        [prefix + "max_ms"] = MaxMs is { } max ? Math.Round(max) : null,
        [prefix + "smtp_send_median_ms"] = Math.Round(SendMedianMs, 1),
        [prefix + "app_cpu_cores"] = Math.Round(AppCpuSeconds, 2),
        [prefix + "import_passes"] = Passes,
        [prefix + "import_pass_median_ms"] = PassMedianMs is { } passMedian ? Math.Round(passMedian) : null,
        [prefix + "import_pass_p90_ms"] = PassP90Ms is { } passP90 ? Math.Round(passP90) : null,
        [prefix + "before_pass_median_ms"] = BeforePassMedianMs is { } beforeMedian ? Math.Round(beforeMedian) : null,
        [prefix + "before_pass_p90_ms"] = BeforePassP90Ms is { } beforeP90 ? Math.Round(beforeP90) : null,
    };
}

/// <summary>
/// Mail arriving at a steady rate, each message to a random one of the mailboxes, sent through the
/// stack's SMTP relay (which delivers before it answers) over a few kept-open connections. Every
/// message starts a thread of its own, so each becomes a ticket; the tickets table is read every
/// 20 ms and a ticket counts as recorded when it is first seen.
/// </summary>
internal static class MailLoad
{
    private const int Connections = 4;

    public static async Task<LoadResult> RunAsync(string dataPath, int appPid, IReadOnlyList<string> mailboxes, double rate, TimeSpan duration, string tag)
    {
        var random = new Random(11);
        var count = (int)(rate * duration.TotalSeconds);
        var sentAt = new ConcurrentDictionary<string, long>();
        var sentUtc = new ConcurrentDictionary<string, DateTime>();
        var sendTimes = new ConcurrentBag<double>();
        var seenAt = new ConcurrentDictionary<string, long>();
        using var stopPolling = new CancellationTokenSource();
        var poller = Task.Run(() => PollAsync(dataPath, seenAt, stopPolling.Token));

        var queue = Channel.CreateBounded<(string Subject, string Mailbox, int Index)>(Connections * 2);
        var senders = Enumerable.Range(0, Connections).Select(_ => Task.Run(async () =>
        {
            using var smtp = new SmtpClient();
            await smtp.ConnectAsync(MailBench.Host, MailBench.RelayPort, SecureSocketOptions.None);
            await foreach (var (subject, mailbox, index) in queue.Reader.ReadAllAsync())
            {
                var message = new MimeMessage();
                message.From.Add(new MailboxAddress($"Customer {index % 500}", $"customer{index % 500}@customer.test"));
                message.To.Add(MailboxAddress.Parse(mailbox));
                message.Subject = subject;
                message.Body = new TextPart("plain") { Text = "My order has not arrived. How long until you see this?" };
                var start = Stopwatch.GetTimestamp();
                await smtp.SendAsync(message);
                var end = Stopwatch.GetTimestamp();
                sentAt[subject] = end;
                sentUtc[subject] = DateTime.UtcNow;
                sendTimes.Add(Stopwatch.GetElapsedTime(start, end).TotalMilliseconds);
            }

            await smtp.DisconnectAsync(true);
        })).ToList();

        var runsBefore = AppProcess.Scalar(dataPath, "SELECT COALESCE(MAX(Id), 0) FROM ImportRuns");
        var cpuBefore = AppProcess.CpuSeconds(appPid);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            await queue.Writer.WriteAsync(($"Accounts {tag} {i}", mailboxes[random.Next(mailboxes.Count)], i));
        }

        queue.Writer.Complete();
        await Task.WhenAll(senders);
        var sendingTook = clock.Elapsed;
        try
        {
            await AppProcess.WaitAsync(() => sentAt.Keys.All(seenAt.ContainsKey), TimeSpan.FromSeconds(120), 100);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"{sentAt.Keys.Count(s => !seenAt.ContainsKey(s))} messages not recorded within two minutes of the last send");
        }

        // CPU over the sending window and the catch-up after it, as cores kept busy on average.
        var appCpu = (AppProcess.CpuSeconds(appPid) - cpuBefore) / clock.Elapsed.TotalSeconds;
        await stopPolling.CancelAsync();
        await poller;

        var latencies = sentAt.Where(s => seenAt.ContainsKey(s.Key))
            .Select(s => Math.Max(0, Stopwatch.GetElapsedTime(s.Value, seenAt[s.Key]).TotalMilliseconds)).Order().ToList();
        var sends = sendTimes.Order().ToList();
        var passes = PassDurations(dataPath, runsBefore);
        var beforePass = BeforePass(dataPath, runsBefore, sentUtc);
        return new LoadResult(
            sentAt.Count, latencies.Count, sentAt.Count / sendingTook.TotalSeconds,
            Percentile(latencies, sentAt.Count, 0.5), Percentile(latencies, sentAt.Count, 0.9), Percentile(latencies, sentAt.Count, 1),
            Percentile(sends, sends.Count, 0.5) ?? 0, appCpu,
            passes.Count, Percentile(passes, passes.Count, 0.5), Percentile(passes, passes.Count, 0.9),
            Percentile(beforePass, beforePass.Count, 0.5), Percentile(beforePass, beforePass.Count, 0.9));
    }

    /// <summary>
    /// For each recorded message, the time from the end of its send until the import pass that imported it
    /// started (the server noticing the mail, IDLE ending, the pass being let in), sorted; the rest of its
    /// time is the pass itself and the ticket being seen.
    /// </summary>
    private static List<double> BeforePass(string dataPath, long afterRun, ConcurrentDictionary<string, DateTime> sentUtc)
    {
        using var connection = AppProcess.Open(dataPath);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT l.Subject, MAX(r.StartedUtc) FROM ImportLog l
            JOIN ImportRuns r ON r.AccountId = l.AccountId AND r.Id > $after AND r.StartedUtc <= l.Utc
            WHERE l.Outcome = 'Imported' AND l.Subject IS NOT NULL
            GROUP BY l.Id
            """;
        command.Parameters.AddWithValue("$after", afterRun);
        var waits = new List<double>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (!reader.IsDBNull(1) && sentUtc.TryGetValue(reader.GetString(0), out var sent))
            {
                waits.Add(Math.Max(0, (DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc) - sent).TotalMilliseconds));
            }
        }

        waits.Sort();
        return waits;
    }

    /// <summary>How long each import pass that imported something took, from its sign-in to its end, sorted.</summary>
    private static List<double> PassDurations(string dataPath, long afterRun)
    {
        using var connection = AppProcess.Open(dataPath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT StartedUtc, FinishedUtc FROM ImportRuns WHERE Id > $after AND Imported > 0 AND FinishedUtc IS NOT NULL";
        command.Parameters.AddWithValue("$after", afterRun);
        var durations = new List<double>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            durations.Add((reader.GetDateTime(1) - reader.GetDateTime(0)).TotalMilliseconds);
        }

        durations.Sort();
        return durations;
    }

    /// <summary>The percentile over all <paramref name="total"/> messages, those never recorded counting as the slowest.</summary>
    private static double? Percentile(List<double> sorted, int total, double share)
    {
        var index = Math.Min(total - 1, (int)(total * share));
        return index >= 0 && index < sorted.Count ? sorted[index] : null;
    }

    private static async Task PollAsync(string dataPath, ConcurrentDictionary<string, long> seenAt, CancellationToken cancellationToken)
    {
        using var connection = AppProcess.Open(dataPath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT rowid, subject FROM lt_helpdesk WHERE rowid > $last ORDER BY rowid";
        var last = command.Parameters.AddWithValue("$last", 0L);
        while (!cancellationToken.IsCancellationRequested)
        {
            using (var reader = command.ExecuteReader())
            {
                var now = Stopwatch.GetTimestamp();
                while (reader.Read())
                {
                    last.Value = reader.GetInt64(0);
                    if (!reader.IsDBNull(1))
                    {
                        seenAt.TryAdd(reader.GetString(1), now);
                    }
                }
            }

            try
            {
                await Task.Delay(20, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
