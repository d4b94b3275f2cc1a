namespace EmailIntegration.Core.Mail;

/// <summary>An archive that cannot be read at all; the message says why, for the admin.</summary>
public sealed class ArchiveRefusedException(string message) : Exception(message);
