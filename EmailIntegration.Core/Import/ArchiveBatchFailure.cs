namespace EmailIntegration.Core.Import;

/// <summary>A message of an archive that failed, with its failure record (raw .eml and Retry).</summary>
public sealed record ArchiveBatchFailure(int Index, string Name, string Reason, string? Subject, long ImportErrorId);
