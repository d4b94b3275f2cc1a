namespace EmailIntegration.Core.Import.Archive;

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

