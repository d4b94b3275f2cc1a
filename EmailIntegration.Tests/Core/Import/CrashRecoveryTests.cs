using System.Diagnostics;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>The real App process, killed hard (SIGKILL) while it imports, then started again.</summary>
[RunsLong(90)]
public sealed class CrashRecoveryTests : IDisposable
{
    // Note: enough that five runs, each killed soon after its first commit, cannot import them all even when the
    // test's own polling is slowed by a busy machine (at 500 a fast import sometimes finished before the last kill).
    private const int Messages = 2000;
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-tests", "crash-" + Guid.NewGuid().ToString("N"));
    private AppProcess? app;

    [Fact]
    public async Task Killed_five_times_while_importing_2000_messages_it_imports_each_exactly_once_and_flags_all_seen()
    {
        var mailbox = TestMailbox.New("crash");
        using (var host = new AppHost(dataPath, keepData: true))
        {
            var saved = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address));
            var json = MailStack.SeedRuntimeConfiguration(saved.Id!.Value);
            Assert.Empty(await host.Get<SettingsStore>().SaveRuntimeAsync(json, "test"));
        }

        await AppendManyAsync(mailbox.Address, Messages);
        var random = new Random(20261128);
        for (var kill = 0; kill < 5; kill++)
        {
            var before = ImportedCount().Total;
            Start();
            // Kill while it works: once a batch has landed, at a random moment after (inside the next
            // batch's transaction, between a commit and its \Seen, or while fetching).
            // Generous: a restarted App on two busy cores (the rest of the suite, browsers) starts slowly.
            await WaitUntilAsync(() => ImportedCount().Total > before, TimeSpan.FromSeconds(120));
            // The import is fast: a short random wait still lands inside a batch or between a commit and its \Seen.
            await Task.Delay(random.Next(0, 40));
            await app!.KillAsync();
            app.Dispose();
            app = null;
        }

        var afterKills = ImportedCount().Total;
        Assert.True(afterKills < Messages, $"the kills should interrupt the import before it finished ({afterKills} of {Messages} were imported)");
        Start();
        await WaitUntilAsync(() => ImportedCount().Total >= Messages, TimeSpan.FromSeconds(240));
        await WaitUntilAsync(() => mailbox.InboxCountsAsync().GetAwaiter().GetResult().Unseen == 0, TimeSpan.FromSeconds(30));

        var (total, distinct) = ImportedCount();
        Assert.Equal(Messages, total);
        Assert.Equal(Messages, distinct);
        Assert.Equal((Messages, 0), await mailbox.InboxCountsAsync());
    }

    // Small batches: more commits, more moments to be killed between a commit and its \Seen.
    private void Start() => app = AppProcess.Start(dataPath, "--EmailIntegration:Import:BatchSize=5");

    private (long Total, long Distinct) ImportedCount()
    {
        var database = Path.Combine(dataPath, "emailintegration.db");
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT uniqueid) FROM lt_conversationmessage";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"not reached within {timeout}; {ImportedCount().Total} imported; the App's last output:\n{OutputTail()}");
            await Task.Delay(10);
        }
    }

    private string OutputTail() => AppProcess.OutputTail(dataPath);

    private static async Task AppendManyAsync(string address, int count)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(address, MailStack.Password);
        for (var batch = 0; batch < count; batch += 100)
        {
            var requests = Enumerable.Range(batch, Math.Min(100, count - batch)).Select(i =>
            {
                var message = new MimeMessage();
                message.From.Add(new MailboxAddress($"Customer {i}", $"customer{i}@customer.test"));
                message.To.Add(MailboxAddress.Parse(address));
                message.Subject = $"Crash test {i}";
                message.MessageId = $"crash-{i}@customer.test";
                message.Body = new TextPart("plain") { Text = $"Message number {i}." };
                return (IAppendRequest)new AppendRequest(message, MessageFlags.None);
            }).ToList();
            await imap.Inbox.AppendAsync(requests);
        }

        await imap.DisconnectAsync(true);
    }

    public void Dispose()
    {
        app?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleanup.
        }
    }
}
