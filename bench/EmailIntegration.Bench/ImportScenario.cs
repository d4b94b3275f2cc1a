using System.Diagnostics;
using System.Text.Json;
using EmailIntegration.Core.Import;
using MailKit;
using MailKit.Search;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// N realistic messages in a mailbox. The ceiling: a bare MailKit loop fetching and parsing each
/// unseen message (no database, no flags). Then the product's import of the same messages into
/// records (threading, parents, followers, attachments, \Seen). Both rates, and their ratio.
/// </summary>
internal static class ImportScenario
{
    public static async Task RunAsync(int count)
    {
        var mailbox = MailBench.NewMailbox("bench-import");
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var setup = Stopwatch.StartNew();
            await MailBench.AppendAsync(mailbox, MailBench.Corpus(mailbox, count));
            // Both sides first run on a smaller mailbox, untimed, so the figures are steady-state
            // rates rather than how fast a fresh process compiles its code.
            var warmup = MailBench.NewMailbox("bench-warmup");
            var warmupCount = Math.Max(50, count / 10);
            await MailBench.AppendAsync(warmup, MailBench.Corpus(warmup, warmupCount));
            Console.Error.WriteLine($"appended {count} + {warmupCount} messages in {setup.Elapsed.TotalSeconds:F1} s");

            await BareMailKitAsync(warmup, warmupCount);
            var ceiling = await BareMailKitAsync(mailbox, count);
            var (provider, accountId) = await MailBench.ProductAsync(dataPath, mailbox);
            await using (provider)
            {
                var imports = provider.GetRequiredService<ImportService>();
                await imports.ImportAsync(await MailBench.AddAccountAsync(provider, warmup), ImportTrigger.Manual);
                var watch = Stopwatch.StartNew();
                var run = await imports.ImportAsync(accountId, ImportTrigger.Manual);
                watch.Stop();
                if (run.Imported != count || run.Error is not null)
                {
                    throw new InvalidOperationException($"imported {run.Imported} of {count}, failed {run.Failed}: {run.Error}");
                }

                var product = count / watch.Elapsed.TotalSeconds;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "import",
                    messages = count,
                    ceiling_messages_per_second = Math.Round(ceiling, 1),
                    product_messages_per_second = Math.Round(product, 1),
                    ratio = Math.Round(product / ceiling, 2),
                }));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataPath, true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<double> BareMailKitAsync(string mailbox, int count)
    {
        // The same connection as the product's account (IMAPS), so both pay for TLS.
        using var imap = await MailBench.OpenTlsAsync(mailbox);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var watch = Stopwatch.StartNew();
        var uids = await imap.Inbox.SearchAsync(SearchQuery.NotSeen);
        var parsed = 0;
        foreach (var uid in uids)
        {
            using var stream = await imap.Inbox.GetStreamAsync(uid, string.Empty);
            using var message = await MimeMessage.LoadAsync(stream);
            parsed += message.Subject is null ? 0 : 1;
        }

        watch.Stop();
        if (parsed != count)
        {
            throw new InvalidOperationException($"the bare loop parsed {parsed} of {count}");
        }

        return count / watch.Elapsed.TotalSeconds;
    }
}
