namespace EmailIntegration.Core.Import.Archive;

/// <summary>Where an archive import is in its life.</summary>
public enum ArchiveImportState
{
    /// <summary>Uploaded, waiting for its turn (also after a restart or a resume).</summary>
    Queued,

    Running,

    /// <summary>Stopped by an admin; it can be resumed from where it stands.</summary>
    Cancelled,

    Completed,

    /// <summary>The archive could not be read, or the account is gone; <see cref="ArchiveImport.Error"/> says why.</summary>
    Failed,
}

/// <summary>
/// An uploaded archive (.eml, .mbox or a zip of .eml files) imported into an account in the
/// background. <see cref="Position"/> and the counts are written in the transaction of each batch
/// of records, so after a crash the import resumes exactly after its last committed message.
/// </summary>
public sealed class ArchiveImport
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    /// <summary>The name the file was uploaded with.</summary>
    public string FileName { get; set; } = "";

    /// <summary>The stored upload, relative to the data folder.</summary>
    public string StoredPath { get; set; } = "";

    public long FileSize { get; set; }

    public ArchiveImportState State { get; set; }

    /// <summary>The messages in the archive, once it has been read (0 before).</summary>
    public int Total { get; set; }

    /// <summary>The messages done (imported, already there or failed): the next one's index.</summary>
    public int Position { get; set; }

    public int Imported { get; set; }

    public int Duplicates { get; set; }

    public int Failed { get; set; }

    /// <summary>Zip entries that are not .eml files, left out.</summary>
    public int Skipped { get; set; }

    public string? Error { get; set; }

    public string? CreatedBy { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime? FinishedUtc { get; set; }
}

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
