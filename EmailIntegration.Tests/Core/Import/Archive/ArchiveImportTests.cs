using System.Collections.Concurrent;
using System.Text;
using EmailIntegration.Core.Import.Archive;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Import.Archive;

/// <summary>Uploaded archives imported by the App's own background worker into a real SQLite file.</summary>
public sealed class ArchiveImportTests() : ImportTestBase(new AppHost
{
    // A zip that unpacks past 1 MB is refused as a bomb.
    Settings = new Dictionary<string, string> { ["EmailIntegration:Import:ArchiveMaxUncompressedMb"] = "1" },
})
{
    private readonly ConcurrentQueue<ArchiveProgress> progress = new();

    private ArchiveImportService Archives => Host.Get<ArchiveImportService>();

    [Fact]
    public async Task An_mbox_of_1000_messages_is_imported_with_moving_progress_and_importing_it_again_adds_nothing()
    {
        var path = Path.Combine(Host.DataPath, "export.mbox");
        ArchiveFiles.WriteMbox(path, 1000);

        var first = await ImportAsync(path);

        Assert.Equal((ArchiveImportState.Completed, 1000, 1000, 1000, 0, 0), (first.State, first.Total, first.Position, first.Imported, first.Duplicates, first.Failed));
        Assert.Equal((1000L, 1000L), ArchiveFiles.Messages(Host.DatabasePath));
        var positions = progress.Where(p => p.Id == first.Id && p.State == ArchiveImportState.Running && p.Position > 0).ToList();
        Assert.True(positions.Count >= 3, $"progress should move in steps, saw {positions.Count}");
        Assert.Equal(positions.Select(p => p.Position).Order(), positions.Select(p => p.Position));
        Assert.Equal(1000, positions[^1].Position);
        Assert.All(positions, p => Assert.True(p.Rate > 0 && p.Left is not null, "each step says its rate and the time left"));
        // The quoted ">From " line is the message's own text, not a new message.
        var body = await QueryAsync("conversationmessage", "subject", "archive message 7");
        Assert.Single(body);

        var again = await ImportAsync(path);

        Assert.Equal((ArchiveImportState.Completed, 0, 1000, 0), (again.State, again.Imported, again.Duplicates, again.Failed));
        Assert.Equal((1000L, 1000L), ArchiveFiles.Messages(Host.DatabasePath));
    }

    [Fact]
    public async Task A_cancelled_import_stops_after_its_committed_batch_and_resumed_continues_there_importing_each_message_once()
    {
        var path = Path.Combine(Host.DataPath, "cancel.mbox");
        ArchiveFiles.WriteMbox(path, 600, "cancel");
        var cancelled = new TaskCompletionSource<ArchiveProgress>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnProgress(ArchiveProgress p)
        {
            // Right after the first commit, on the worker's thread: the next batch never starts.
            if (p.State == ArchiveImportState.Running && p.Position > 0 && !cancelled.Task.IsCompleted)
            {
                _ = Archives.CancelAsync(p.Id);
            }

            if (p.State == ArchiveImportState.Cancelled)
            {
                cancelled.TrySetResult(p);
            }
        }

        Archives.Progress += OnProgress;
        long id;
        try
        {
            await using var content = File.OpenRead(path);
            id = (await Archives.UploadAsync(AccountId, "cancel.mbox", content, "admin")).Id;
            await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            Archives.Progress -= OnProgress;
        }

        var stopped = (await Archives.GetAsync(id))!;
        Assert.Equal(ArchiveImportState.Cancelled, stopped.State);
        Assert.InRange(stopped.Position, 1, 599);
        Assert.Equal(stopped.Position, stopped.Imported);
        Assert.Equal(((long)stopped.Position, (long)stopped.Position), ArchiveFiles.Messages(Host.DatabasePath));

        var resumed = await WaitAsync(id, () => Archives.ResumeAsync(id));

        Assert.Equal((ArchiveImportState.Completed, 600, 600, 0), (resumed.State, resumed.Position, resumed.Imported, resumed.Duplicates));
        Assert.Equal((600L, 600L), ArchiveFiles.Messages(Host.DatabasePath));
    }

    [Fact]
    public async Task A_zip_with_a_bad_entry_imports_the_good_ones_and_its_summary_lists_the_failure_with_its_eml()
    {
        var path = Path.Combine(Host.DataPath, "helpdesk-export.zip");
        var bad = "From: huge@customer.test\r\nSubject: Huge header\r\nX-Padding: " + new string('a', 300 * 1024) + "\r\n\r\nBody\r\n";
        ArchiveFiles.WriteZip(path,
        [
            ("mail/one.eml", Encoding.UTF8.GetBytes(ArchiveFiles.Message(1, "zip"))),
            ("mail/bad.eml", Encoding.UTF8.GetBytes(bad)),
            ("mail/two.eml", Encoding.UTF8.GetBytes(ArchiveFiles.Message(2, "zip"))),
            ("README.txt", Encoding.UTF8.GetBytes("not mail")),
        ]);

        var job = await ImportAsync(path);

        Assert.Equal((ArchiveImportState.Completed, 3, 2, 1, 1), (job.State, job.Total, job.Imported, job.Failed, job.Skipped));
        var failure = Assert.Single(await Archives.FailuresAsync(job.Id));
        Assert.Equal(("mail/bad.eml", 1, "Huge header"), (failure.Name, failure.Index, failure.Subject));
        Assert.Contains("header is", failure.Reason, StringComparison.Ordinal);
        var record = await GetAsync("importerror", failure.ImportErrorId);
        Assert.Equal("failed", record.Text("status"));
        Assert.False(string.IsNullOrEmpty(record.Text("rawmessage")), "the failure keeps its raw .eml");
        Assert.Equal(2, (await QueryAsync("conversationmessage")).Count);
    }

    [Fact]
    public async Task A_zip_that_unpacks_past_the_limit_is_refused_with_a_clear_message_and_imports_nothing()
    {
        var path = Path.Combine(Host.DataPath, "bomb.zip");
        ArchiveFiles.WriteZip(path, [("bomb.eml", new byte[3 * 1024 * 1024])]);

        var job = await ImportAsync(path);

        Assert.Equal(ArchiveImportState.Failed, job.State);
        Assert.Contains("unpacks to 3 MB; at most 1 MB", job.Error, StringComparison.Ordinal);
        Assert.Empty(await QueryAsync("conversationmessage"));
    }

    [Fact]
    public async Task A_file_that_is_no_archive_is_refused_at_upload()
    {
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes("hello"));
        var refused = await Assert.ThrowsAsync<EmailIntegration.Core.Mail.ArchiveRefusedException>(() => Archives.UploadAsync(AccountId, "notes.pdf", content, "admin"));
        Assert.Equal("Only .eml, .mbox and .zip files can be imported.", refused.Message);
    }

    /// <summary>Uploads the file as the page does and waits for the worker to finish it.</summary>
    private async Task<ArchiveImport> ImportAsync(string path)
    {
        long id = 0;
        return await WaitAsync(() => id, async () =>
        {
            await using var content = File.OpenRead(path);
            id = (await Archives.UploadAsync(AccountId, Path.GetFileName(path), content, "admin")).Id;
        });
    }

    private Task<ArchiveImport> WaitAsync(long id, Func<Task> start) => WaitAsync(() => id, start);

    /// <summary>Starts an import and waits until the worker has finished it (completed or failed), recording every progress event.</summary>
    private async Task<ArchiveImport> WaitAsync(Func<long> id, Func<Task> start)
    {
        var ended = new ConcurrentQueue<long>();
        var signal = new SemaphoreSlim(0);
        void OnProgress(ArchiveProgress p)
        {
            progress.Enqueue(p);
            if (p.State is ArchiveImportState.Completed or ArchiveImportState.Failed)
            {
                ended.Enqueue(p.Id);
                signal.Release();
            }
        }

        Archives.Progress += OnProgress;
        try
        {
            await start();
            while (!ended.Contains(id()))
            {
                Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(120)), "the import did not end within two minutes");
            }
        }
        finally
        {
            Archives.Progress -= OnProgress;
        }

        return (await Archives.GetAsync(id()))!;
    }
}
