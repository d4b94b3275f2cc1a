using System.Diagnostics;
using System.Text.Json;
using EmailIntegration.Core.Import;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// One large message (an attachment of N MB, about 1.37 N MB on the wire): the managed bytes the
/// product allocates and the process's peak working set while importing it, each as a multiple
/// of the message's size. Spooled to disk and decoded straight to the file store, it should not
/// need the message in memory twice over.
/// </summary>
internal static class LargeMessageScenario
{
    public static async Task RunAsync(int megabytes)
    {
        var mailbox = MailBench.NewMailbox("bench-large");
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse("customer@customer.test"));
            message.To.Add(MailboxAddress.Parse(mailbox));
            message.Subject = "Large attachment";
            var builder = new BodyBuilder { TextBody = "The scans are attached." };
            var bytes = new byte[megabytes * 1024 * 1024];
            new Random(3).NextBytes(bytes);
            builder.Attachments.Add("scans.bin", bytes);
            message.Body = builder.ToMessageBody();
            await MailBench.AppendAsync(mailbox, [message]);
            bytes = [];
            message.Dispose();

            var (provider, accountId) = await MailBench.ProductAsync(dataPath, mailbox);
            await using (provider)
            {
                var settings = provider.GetRequiredService<EmailIntegration.Core.Settings.SettingsStore>();
                await settings.SaveApplicationAsync(new EmailIntegration.Core.Settings.ApplicationConfiguration { AttachmentMaxSizeMb = megabytes + 10 }, "bench");
                GC.Collect();
                GC.WaitForPendingFinalizers();
                using var process = Process.GetCurrentProcess();
                process.Refresh();
                var workingSetBefore = process.WorkingSet64;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var peak = workingSetBefore;
                using var sampling = new CancellationTokenSource();
                var sampler = Task.Run(async () =>
                {
                    while (!sampling.IsCancellationRequested)
                    {
                        process.Refresh();
                        peak = Math.Max(peak, process.WorkingSet64);
                        await Task.Delay(20);
                    }
                });
                var run = await provider.GetRequiredService<ImportService>().ImportAsync(accountId, ImportTrigger.Manual);
                await sampling.CancelAsync();
                await sampler;
                if (run.Imported != 1)
                {
                    throw new InvalidOperationException($"not imported: {run.Error} (failed {run.Failed})");
                }

                var wire = megabytes * 1024.0 * 1024.0 * 4 / 3;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "large",
                    attachment_mb = megabytes,
                    message_mb = Math.Round(wire / 1048576, 1),
                    allocated_mb = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0, 1),
                    allocated_per_message_size = Math.Round((GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / wire, 2),
                    peak_working_set_growth_mb = Math.Round((peak - workingSetBefore) / 1048576.0, 1),
                    peak_growth_per_message_size = Math.Round((peak - workingSetBefore) / wire, 2),
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
}
