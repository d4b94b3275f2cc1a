namespace EmailIntegration.Core.Import.Archive;

/// <summary>A message of an archive that was not imported, for the summary; the failure record holds its .eml and Retry.</summary>
public sealed class ArchiveImportFailure
{
    public long Id { get; set; }

    public long ArchiveImportId { get; set; }

    /// <summary>The message's position in the archive, from 0.</summary>
    public int Index { get; set; }

    /// <summary>The zip entry, or "message N" of an mbox.</summary>
    public string Name { get; set; } = "";

    public string Reason { get; set; } = "";

    public string? Subject { get; set; }

    /// <summary>The <c>importerror</c> record (raw .eml, Retry).</summary>
    public long ImportErrorId { get; set; }
}
