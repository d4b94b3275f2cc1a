using System.Diagnostics;
using System.Text.Json;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Inbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmailIntegration.Bench;

/// <summary>
/// The import's rate with the search index written in its transaction, against the same product
/// with an index that writes nothing. Both import the import scenario's corpus from mailboxes of
/// their own; each of five rounds imports on both, the side that goes first alternating, so a shared
/// machine's changing load falls on both alike, and the figure is the median round's ratio (with
/// index over without).
/// </summary>
internal static class InboxImport
{
    private const int Rounds = 5;

    public static async Task RunAsync(int count)
    {
        var folders = new[] { NewFolder(), NewFolder() };
        try
        {
            var mailboxes = Enumerable.Range(0, Rounds * 2 + 2).Select(_ => MailBench.NewMailbox("bench-inbox")).ToList();
            foreach (var mailbox in mailboxes)
            {
                await MailBench.AppendAsync(mailbox, MailBench.Corpus(mailbox, mailbox == mailboxes[0] || mailbox == mailboxes[1] ? Math.Max(50, count / 4) : count));
            }

            var (indexed, indexedAccount) = await MailBench.ProductAsync(folders[0], mailboxes[0]);
            var (plain, plainAccount) = await MailBench.ProductAsync(folders[1], mailboxes[1],
                services => services.Replace(ServiceDescriptor.Singleton<IMailSearchIndex, NoMailSearchIndex>()));
            await using (indexed)
            await using (plain)
            {
                // Untimed first runs, so both sides are compiled before either is measured.
                await indexed.GetRequiredService<ImportService>().ImportAsync(indexedAccount, ImportTrigger.Manual);
                await plain.GetRequiredService<ImportService>().ImportAsync(plainAccount, ImportTrigger.Manual);
                await MailBench.SettleJitAsync();

                var rounds = new List<(double With, double Without)>();
                for (var round = 0; round < Rounds; round++)
                {
                    // Which side goes first alternates, so a load that rises or falls within a round favours neither.
                    double with, without;
                    if (round % 2 == 0)
                    {
                        with = await RateAsync(indexed, mailboxes[2 + round * 2], count);
                        without = await RateAsync(plain, mailboxes[3 + round * 2], count);
                    }
                    else
                    {
                        without = await RateAsync(plain, mailboxes[3 + round * 2], count);
                        with = await RateAsync(indexed, mailboxes[2 + round * 2], count);
                    }

                    rounds.Add((with, without));
                    Console.Error.WriteLine($"round {round + 1}: with the search index {with:F0} msg/s, without {without:F0} msg/s, ratio {with / without:F2}");
                }

                var searchable = await indexed.GetRequiredService<ObjectStore>().CountAsync(new Core.Crm.Query.LimeQuery("helpdesk")
                {
                    Match = InboxService.Match(new InboxList("helpdesk", "conversation", true), "damaged"),
                }, Core.Crm.Query.QueryContext.Anonymous);
                QueryScenario.Check(searchable > 0, "nothing imported with the index is found by a search");
                var median = rounds.OrderBy(r => r.With / r.Without).ElementAt(rounds.Count / 2);
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "inbox",
                    measurement = "import_with_search_index",
                    messages = count,
                    with_index_messages_per_second = Math.Round(median.With, 1),
                    without_index_messages_per_second = Math.Round(median.Without, 1),
                    ratio = Math.Round(median.With / median.Without, 2),
                    round_ratios = rounds.Select(r => Math.Round(r.With / r.Without, 2)),
                }));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var folder in folders)
            {
                try
                {
                    Directory.Delete(folder, true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    private static async Task<double> RateAsync(ServiceProvider provider, string mailbox, int count)
    {
        var account = await MailBench.AddAccountAsync(provider, mailbox);
        var watch = Stopwatch.StartNew();
        var run = await provider.GetRequiredService<ImportService>().ImportAsync(account, ImportTrigger.Manual);
        watch.Stop();
        return run.Imported == count && run.Error is null
            ? count / watch.Elapsed.TotalSeconds
            : throw new InvalidOperationException($"imported {run.Imported} of {count}, failed {run.Failed}: {run.Error}");
    }

    private static string NewFolder() => Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));

    /// <summary>The other side of the comparison: an index that keeps nothing.</summary>
    private sealed class NoMailSearchIndex : IMailSearchIndex
    {
        public Task AddAsync(ObjectSession session, long messageId, long conversationId, MailSearchText text, CancellationToken cancellationToken) =>
            Task.CompletedTask;
    }
}
