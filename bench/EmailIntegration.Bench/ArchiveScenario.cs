using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Import.Archive;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// The import scenario's N messages imported twice in one run, each side into a fresh product of its
/// own: from a mailbox over IMAPS (the account's import pass), and from an mbox of the same messages
/// uploaded as an archive (timed from the upload to the end of the background import). Both sides first
/// run untimed on a smaller corpus so the figures are steady-state rates. The ratio is archive over IMAP.
/// </summary>
internal static class ArchiveScenario
{
    public static async Task RunAsync(int count)
    {
        var root = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            var warmupCount = Math.Max(50, count / 8);
            var warmup = await SidesAsync(root, "warmup", warmupCount);
            Console.Error.WriteLine($"warm-up ({warmupCount}): imap {warmup.Imap:F0} msg/s, archive {warmup.Archive:F0} msg/s");
            await MailBench.SettleJitAsync();
            var measured = await SidesAsync(root, "measured", count);
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                scenario = "archive",
                messages = count,
                imap_messages_per_second = Math.Round(measured.Imap, 1),
                archive_messages_per_second = Math.Round(measured.Archive, 1),
                ratio = Math.Round(measured.Archive / measured.Imap, 2),
            }));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<(double Imap, double Archive)> SidesAsync(string root, string name, int count)
    {
        var mailbox = MailBench.NewMailbox("bench-archive");
        var messages = MailBench.Corpus(mailbox, count).ToList();
        await MailBench.AppendAsync(mailbox, messages);
        var mbox = Path.Combine(root, $"{name}.mbox");
        await WriteMboxAsync(mbox, messages);

        double imap;
        var (imapProduct, imapAccount) = await MailBench.ProductAsync(Path.Combine(root, name + "-imap"), mailbox);
        await using (imapProduct)
        {
            var watch = Stopwatch.StartNew();
            var run = await imapProduct.GetRequiredService<ImportService>().ImportAsync(imapAccount, ImportTrigger.Manual);
            imap = Check(run.Imported, run.Error, count) / watch.Elapsed.TotalSeconds;
        }

        var (archiveProduct, archiveAccount) = await MailBench.ProductAsync(Path.Combine(root, name + "-archive"), mailbox);
        await using (archiveProduct)
        {
            var archives = archiveProduct.GetRequiredService<ArchiveImportService>();
            using var stop = new CancellationTokenSource();
            var worker = archives.RunQueueAsync(stop.Token);
            var done = new TaskCompletionSource<ArchiveProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
            archives.Progress += p =>
            {
                if (p.State is ArchiveImportState.Completed or ArchiveImportState.Failed)
                {
                    done.TrySetResult(p);
                }
            };
            var watch = Stopwatch.StartNew();
            await using (var content = File.OpenRead(mbox))
            {
                await archives.UploadAsync(archiveAccount, "export.mbox", content, "bench");
            }

            var result = await done.Task;
            var archive = Check(result.Imported, result.Error, count) / watch.Elapsed.TotalSeconds;
            await stop.CancelAsync();
            try
            {
                await worker;
            }
            catch (OperationCanceledException)
            {
            }

            return (imap, archive);
        }
    }

    private static int Check(int imported, string? error, int count) =>
        imported == count && error is null ? count : throw new InvalidOperationException($"imported {imported} of {count}: {error}");

    /// <summary>The messages as a mail client exports them: each after a "From " line, a body line starting "From " quoted.</summary>
    private static async Task WriteMboxAsync(string path, IEnumerable<MimeMessage> messages)
    {
        await using var file = File.Create(path);
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        foreach (var message in messages)
        {
            await file.WriteAsync(Encoding.ASCII.GetBytes($"From {message.From.Mailboxes.First().Address} Mon Nov 30 10:00:00 2026\n"));
            using var body = new MemoryStream();
            await message.WriteToAsync(options, body);
            var text = Encoding.UTF8.GetString(body.ToArray()).Replace("\nFrom ", "\n>From ", StringComparison.Ordinal);
            await file.WriteAsync(Encoding.UTF8.GetBytes(text + "\n"));
        }
    }
}
