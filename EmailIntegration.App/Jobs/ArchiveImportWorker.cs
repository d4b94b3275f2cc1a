using EmailIntegration.Core.Import.Archive;

namespace EmailIntegration.App.Jobs;

/// <summary>Runs uploaded archive imports in the background; those a restart interrupted resume first.</summary>
internal sealed class ArchiveImportWorker(ArchiveImportService archives) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await archives.RunQueueAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: an import that was running stays Running and resumes at the next start.
        }
    }
}
