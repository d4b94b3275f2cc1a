using System.Diagnostics;
using System.Runtime;
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
    private const int WarmupRounds = 3;

    public static async Task RunAsync(int count)
    {
        var mailbox = MailBench.NewMailbox("bench-import");
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var setup = Stopwatch.StartNew();
            await MailBench.AppendAsync(mailbox, MailBench.Corpus(mailbox, count));
            // Both sides first run on a smaller mailbox, untimed, and then wait for the runtime to finish
            // compiling what that run made hot, so the figures are the steady-state rates of a
            // long-running server rather than how fast a fresh process compiles its code.
            // Three rounds, each followed by a pause for the compiler: a method becomes hot in steps
            // (instrumented, then optimized), each step after more calls.
            var warmupCount = Math.Max(50, count / 20);
            var warmups = Enumerable.Range(0, WarmupRounds).Select(_ => MailBench.NewMailbox("bench-warmup")).ToList();
            foreach (var warmup in warmups)
            {
                await MailBench.AppendAsync(warmup, MailBench.Corpus(warmup, warmupCount));
            }

            Console.Error.WriteLine($"appended {count} + {WarmupRounds} x {warmupCount} messages in {setup.Elapsed.TotalSeconds:F1} s");

            foreach (var warmup in warmups)
            {
                await BareMailKitAsync(warmup, warmupCount);
                await MailBench.SettleJitAsync();
            }

            var ceilingJit = JitInfo.GetCompiledMethodCount();
            var ceiling = await BareMailKitAsync(mailbox, count);
            ceilingJit = JitInfo.GetCompiledMethodCount() - ceilingJit;
            var (provider, accountId) = await MailBench.ProductAsync(dataPath, mailbox);
            await using (provider)
            {
                var imports = provider.GetRequiredService<ImportService>();
                foreach (var warmup in warmups)
                {
                    await imports.ImportAsync(await MailBench.AddAccountAsync(provider, warmup), ImportTrigger.Manual);
                    await MailBench.SettleJitAsync();
                }

                var productJit = JitInfo.GetCompiledMethodCount();
                var watch = Stopwatch.StartNew();
                var run = await imports.ImportAsync(accountId, ImportTrigger.Manual);
                watch.Stop();
                productJit = JitInfo.GetCompiledMethodCount() - productJit;
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
                    methods_compiled_while_timed = new { ceiling = ceilingJit, product = productJit },
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
