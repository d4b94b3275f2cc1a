namespace EmailIntegration.Core.Mail;

/// <summary>The bounds an uploaded zip must stay within (a zip bomb is refused before anything is imported).</summary>
public sealed record ArchiveLimits(int MaxEntries, long MaxUncompressedBytes);
