using System.Diagnostics;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// The App as it runs (its own process, IDLE watcher, Quartz job): N messages sent one at a time
/// over SMTP to a watched mailbox, each timed from the end of the send until its conversation is in
/// the database. Reports the median, the 90th percentile and the worst.
/// </summary>
internal static class LatencyScenario
{
    public static async Task RunAsync(int count)
    {
        var mailbox = MailBench.NewMailbox("bench-latency");
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        var (provider, _) = await MailBench.ProductAsync(dataPath, mailbox);
        await provider.DisposeAsync();
        SqliteConnection.ClearAllPools();

        using var app = AppProcess.Start(dataPath);
        try
        {
            // Ready when the watcher's first pass has run.
            await AppProcess.WaitAsync(() => AppProcess.Scalar(dataPath, "SELECT COUNT(*) FROM ImportRuns") > 0, TimeSpan.FromSeconds(60));
            var latencies = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var subject = $"Latency {i} {Guid.NewGuid():N}";
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse("customer@customer.test"));
                message.To.Add(MailboxAddress.Parse(mailbox));
                message.Subject = subject;
                message.Body = new TextPart("plain") { Text = "How long until you see this?" };
                using (var smtp = new SmtpClient())
                {
                    await smtp.ConnectAsync(MailBench.Host, MailBench.RelayPort, SecureSocketOptions.None);
                    await smtp.SendAsync(message);
                    await smtp.DisconnectAsync(true);
                }

                var watch = Stopwatch.StartNew();
                await AppProcess.WaitAsync(() => AppProcess.Scalar(dataPath, "SELECT COUNT(*) FROM lt_conversation WHERE subject = $s", subject) > 0, TimeSpan.FromSeconds(60));
                latencies.Add(watch.Elapsed.TotalMilliseconds);
                await Task.Delay(200);
            }

            latencies.Sort();
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                scenario = "latency",
                messages = count,
                median_ms = Math.Round(latencies[latencies.Count / 2], 0),
                p90_ms = Math.Round(latencies[(int)(latencies.Count * 0.9)], 0),
                max_ms = Math.Round(latencies[^1], 0),
            }));
        }
        finally
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataPath, true);
            }
            catch (IOException)
            {
            }
        }
    }
}
