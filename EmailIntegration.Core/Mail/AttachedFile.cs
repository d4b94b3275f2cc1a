namespace EmailIntegration.Core.Mail;

/// <summary>A file inside an attached message; <see cref="Path"/> finds it again in the stored .eml.</summary>
public sealed record AttachedFile(string Path, string Name);
