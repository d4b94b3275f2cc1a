namespace EmailIntegration.Core.Mail;

/// <summary>The kinds of archive an admin can upload.</summary>
public enum ArchiveKind
{
    Eml,
    Mbox,
    Zip,
}
