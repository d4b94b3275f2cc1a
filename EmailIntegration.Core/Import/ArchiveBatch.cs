namespace EmailIntegration.Core.Import;

/// <summary>Where an archive import stands after a batch; saved in the batch's own transaction.</summary>
/// <param name="Position">The archive's messages done (imported, already there or failed): the next one's index.</param>
public sealed record ArchiveBatch(int Position, int Imported, int Duplicates, int Failed, IReadOnlyList<ArchiveBatchFailure> Failures);
