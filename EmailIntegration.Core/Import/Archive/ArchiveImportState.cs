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
