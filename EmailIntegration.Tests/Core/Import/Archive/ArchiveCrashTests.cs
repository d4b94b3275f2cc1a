using System.Diagnostics;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import.Archive;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EmailIntegration.Tests.Core.Import.Archive;

/// <summary>The real App process killed hard (SIGKILL) while it imports an archive, then started again.</summary>
public sealed class ArchiveCrashTests : IDisposable
{
    private const int Messages = 3000;
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-tests", "archive-crash-" + Guid.NewGuid().ToString("N"));
    private AppProcess? app;

    [Fact]
    public async Task Killed_three_times_during_an_archive_import_and_started_again_every_message_exists_exactly_once()
    {
        using (var host = new AppHost(dataPath, keepData: true))
        {
            var saved = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(TestMailbox.New("archive-crash").Address));
            Assert.Empty(await host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(saved.Id!.Value), "test"));
            var mbox = Path.Combine(dataPath, "export.mbox");
            ArchiveFiles.WriteMbox(mbox, Messages, "crash");
            await using var content = File.OpenRead(mbox);
            // Queued; the host stops at once, and a stop leaves an import to be resumed by the next start.
            await host.Get<ArchiveImportService>().UploadAsync(saved.Id.Value, "export.mbox", content, "admin");
        }

        var random = new Random(20261201);
        for (var kill = 0; kill < 3; kill++)
        {
            var before = Job().Position;
            app = AppProcess.Start(dataPath, "--EmailIntegration:Import:BatchSize=5");
            await WaitUntilAsync(() => Job().Position > before, TimeSpan.FromSeconds(120));
            // A short random wait lands inside a batch's transaction or between batches.
            await Task.Delay(random.Next(0, 40));
            await app.KillAsync();
            app.Dispose();
            app = null;
        }

        Assert.True(Job().Position < Messages, $"the kills should interrupt the import ({Job().Position} of {Messages} done)");
        app = AppProcess.Start(dataPath);
        await WaitUntilAsync(() => Job().State == nameof(ArchiveImportState.Completed), TimeSpan.FromSeconds(240));

        Assert.Equal(((long)Messages, (long)Messages), ArchiveFiles.Messages(Path.Combine(dataPath, "emailintegration.db")));
        // The position moved with each batch's records: nothing was imported twice, not even as a dedupe hit.
        var job = Job();
        Assert.Equal((Messages, Messages, 0, 0), (job.Position, job.Imported, job.Duplicates, job.Failed));
    }

    private (string State, int Position, int Imported, int Duplicates, int Failed) Job()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(dataPath, "emailintegration.db")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT State, Position, Imported, Duplicates, Failed FROM ArchiveImports";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4));
    }

    private async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < timeout, $"not reached within {timeout}; {Job()}; the App's last output:\n{AppProcess.OutputTail(dataPath)}");
            await Task.Delay(10);
        }
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
