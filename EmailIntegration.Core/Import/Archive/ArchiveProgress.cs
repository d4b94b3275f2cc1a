using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import.Archive;

/// <summary>An archive import as a page shows it: the counts, and while it runs its rate and the time left.</summary>
public sealed record ArchiveProgress(
    long Id, Guid AccountId, string FileName, ArchiveImportState State, int Total, int Position, int Imported, int Duplicates, int Failed,
    int Skipped, string? Error, double Rate, TimeSpan? Left)
{
    public static ArchiveProgress Of(ArchiveImport job, double rate = 0, TimeSpan? left = null) => new(
        job.Id, job.AccountId, job.FileName, job.State, job.Total, job.Position, job.Imported, job.Duplicates, job.Failed, job.Skipped, job.Error, rate, left);
}
