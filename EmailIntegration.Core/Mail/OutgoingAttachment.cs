namespace EmailIntegration.Core.Mail;

/// <summary>A file to attach; opened only while the message is written to the server.</summary>
public sealed record OutgoingAttachment(string FileName, Func<CancellationToken, Task<Stream?>> OpenAsync);
