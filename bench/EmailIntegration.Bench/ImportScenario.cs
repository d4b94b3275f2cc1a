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
/// N realistic messages in a mailbox. The ceiling: a bare MailKit loop fetching all unseen messages
/// with one pipelined FETCH per <see cref="PipelinedChunk"/> and parsing each (no database, no flags);
/// beside it, on a second line, the older ceiling fetching one message per round trip. Then the
/// product's import of the same messages into records (threading, parents, followers, attachments,
/// \Seen). Three rounds, each on a mailbox of its own with both ceilings and the product back to
/// back, so a shared machine's load changes between rounds rather than between the sides of one
/// ratio; the figure is the median round.
/// </summary>
internal static class ImportScenario
{
    private const int WarmupRounds = 3;
    private const int Rounds = 3;

    private const int PipelinedChunk = 500;

    private sealed record Side(double Rate, long Compiled, double Cores);

    private sealed record Round(Side Ceiling, Side Single, Side Bare, Side Product)
    {
        public double Ratio => Product.Rate / Ceiling.Rate;

        public double SingleRatio => Product.Rate / Single.Rate;

        public double BareRatio => Product.Rate / Bare.Rate;
    }

    public static async Task RunAsync(int count)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        var barePath = dataPath + "-bare";
        try
        {
            var setup = Stopwatch.StartNew();
            var mailboxes = Enumerable.Range(0, Rounds).Select(_ => MailBench.NewMailbox("bench-import")).ToList();
            foreach (var mailbox in mailboxes)
            {
                await MailBench.AppendAsync(mailbox, MailBench.Corpus(mailbox, count));
            }

            // Both sides first run on smaller mailboxes, untimed, each run followed by a pause for the
            // compiler (a method becomes hot in steps, instrumented then optimized, each after more
            // calls), so the figures are the steady-state rates of a long-running server rather than
            // how fast a fresh process compiles its code.
            var warmupCount = Math.Max(50, count / 8);
            var warmups = Enumerable.Range(0, WarmupRounds).Select(_ => MailBench.NewMailbox("bench-warmup")).ToList();
            foreach (var warmup in warmups)
            {
                await MailBench.AppendAsync(warmup, MailBench.Corpus(warmup, warmupCount));
            }

            Console.Error.WriteLine($"appended {Rounds} x {count} + {WarmupRounds} x {warmupCount} messages in {setup.Elapsed.TotalSeconds:F1} s");

            // The bare importer's database: a product database of its own, migrated and then left to it.
            var (bareProduct, _) = await MailBench.ProductAsync(barePath, mailboxes[0]);
            await bareProduct.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var bareDatabase = Path.Combine(barePath, "emailintegration.db");
            var bareFiles = Path.Combine(barePath, "bare-files");

            var (provider, firstAccount) = await MailBench.ProductAsync(dataPath, mailboxes[0]);
            await using (provider)
            {
                var imports = provider.GetRequiredService<ImportService>();
                foreach (var warmup in warmups)
                {
                    await PipelinedMailKitAsync(warmup, warmupCount);
                    await BareMailKitAsync(warmup, warmupCount);
                    await BareImport.RunAsync(warmup, warmupCount, PipelinedChunk, bareDatabase, bareFiles);
                    await imports.ImportAsync(await MailBench.AddAccountAsync(provider, warmup), ImportTrigger.Manual);
                    await MailBench.SettleJitAsync();
                }

                var rounds = new List<Round>();
                foreach (var mailbox in mailboxes)
                {
                    var accountId = mailbox == mailboxes[0] ? firstAccount : await MailBench.AddAccountAsync(provider, mailbox);
                    await MailBench.SettleJitAsync();
                    var ceiling = await MeasureAsync(() => PipelinedMailKitAsync(mailbox, count));
                    var single = await MeasureAsync(() => BareMailKitAsync(mailbox, count));
                    var bare = await MeasureAsync(() => BareImport.RunAsync(mailbox, count, PipelinedChunk, bareDatabase, bareFiles));
                    var product = await MeasureAsync(async () =>
                    {
                        var watch = Stopwatch.StartNew();
                        var run = await imports.ImportAsync(accountId, ImportTrigger.Manual);
                        watch.Stop();
                        if (run.Imported != count || run.Error is not null)
                        {
                            throw new InvalidOperationException($"imported {run.Imported} of {count}, failed {run.Failed}: {run.Error}");
                        }

                        return count / watch.Elapsed.TotalSeconds;
                    });
                    var round = new Round(ceiling, single, bare, product);
                    rounds.Add(round);
                    Console.Error.WriteLine($"round {rounds.Count}: ceiling {ceiling.Rate:F0} msg/s (one per round trip {single.Rate:F0}), bare writes {bare.Rate:F0} msg/s, product {product.Rate:F0} msg/s, ratio {round.Ratio:F2} ({round.SingleRatio:F2}; to bare writes {round.BareRatio:F2})");
                }

                var median = rounds.OrderBy(r => r.Ratio).ElementAt(rounds.Count / 2);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "import",
                    messages = count,
                    ceiling_messages_per_second = Math.Round(median.Ceiling.Rate, 1),
                    product_messages_per_second = Math.Round(median.Product.Rate, 1),
                    ratio = Math.Round(median.Ratio, 2),
                    round_ratios = rounds.Select(r => Math.Round(r.Ratio, 2)),
                    methods_compiled_while_timed = new { ceiling = median.Ceiling.Compiled, product = median.Product.Compiled },
                    cores_busy_while_timed = new { ceiling = Math.Round(median.Ceiling.Cores, 2), product = Math.Round(median.Product.Cores, 2) },
                }));
                // The older ceiling, one message per round trip: kept so earlier figures stay comparable.
                var singleMedian = rounds.OrderBy(r => r.SingleRatio).ElementAt(rounds.Count / 2);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "import-one-per-round-trip",
                    messages = count,
                    ceiling_messages_per_second = Math.Round(singleMedian.Single.Rate, 1),
                    product_messages_per_second = Math.Round(singleMedian.Product.Rate, 1),
                    ratio = Math.Round(singleMedian.SingleRatio, 2),
                    round_ratios = rounds.Select(r => Math.Round(r.SingleRatio, 2)),
                }));
                // The same records written by a bare importer: how much of what SQLite allows the product reaches.
                var bareMedian = rounds.OrderBy(r => r.BareRatio).ElementAt(rounds.Count / 2);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "import-to-bare-writes",
                    messages = count,
                    bare_messages_per_second = Math.Round(bareMedian.Bare.Rate, 1),
                    product_messages_per_second = Math.Round(bareMedian.Product.Rate, 1),
                    ratio = Math.Round(bareMedian.BareRatio, 2),
                    round_ratios = rounds.Select(r => Math.Round(r.BareRatio, 2)),
                    bare_to_ceiling = Math.Round(bareMedian.Bare.Rate / bareMedian.Ceiling.Rate, 2),
                    cores_busy_while_timed = Math.Round(bareMedian.Bare.Cores, 2),
                }));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var path in new[] { dataPath, barePath })
            {
                try
                {
                    Directory.Delete(path, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>The rate a run reports, with what the runtime still compiled and how many cores the process kept busy meanwhile.</summary>
    private static async Task<Side> MeasureAsync(Func<Task<double>> run)
    {
        var compiled = JitInfo.GetCompiledMethodCount();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var rate = await run();
        watch.Stop();
        return new Side(rate, JitInfo.GetCompiledMethodCount() - compiled, (Process.GetCurrentProcess().TotalProcessorTime - cpu) / watch.Elapsed);
    }

    /// <summary>
    /// The fastest plain client: every unseen message in one pipelined FETCH BODY.PEEK[] per
    /// <see cref="PipelinedChunk"/>, each parsed as it streams in (\Seen left alone, so the product finds them unseen).
    /// </summary>
    private static async Task<double> PipelinedMailKitAsync(string mailbox, int count)
    {
        using var imap = await MailBench.OpenTlsAsync(mailbox);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        // Timed from the search, as the loop below.
        var watch = Stopwatch.StartNew();
        var uids = await imap.Inbox.SearchAsync(SearchQuery.NotSeen);
        var parsed = 0;
        foreach (var chunk in uids.Chunk(PipelinedChunk))
        {
            await ((MailKit.Net.Imap.ImapFolder)imap.Inbox).GetStreamsAsync(chunk, async (_, _, _, stream, token) =>
            {
                using var message = await MimeMessage.LoadAsync(stream, token);
                parsed += message.Subject is null ? 0 : 1;
            });
        }

        watch.Stop();
        if (parsed != count)
        {
            throw new InvalidOperationException($"the pipelined loop parsed {parsed} of {count}");
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    /// <summary>The older ceiling: one FETCH per message, each waiting for its round trip.</summary>
    private static async Task<double> BareMailKitAsync(string mailbox, int count)
    {
        // The same connection as the product's account (IMAPS), so both pay for TLS.
        using var imap = await MailBench.OpenTlsAsync(mailbox);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        // Timed from the search: the connection and sign-in are left out here, but not for the product.
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
