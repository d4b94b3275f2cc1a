namespace EmailIntegration.Core.Mail;

/// <summary>One message of an archive: read, or the reason it could not be.</summary>
public sealed record ArchiveEntry(int Index, string Name, IncomingMessage? Message, string? Error);
