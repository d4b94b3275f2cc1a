namespace EmailIntegration.Core.Notifications;

/// <summary>A file an agent attached to a reply.</summary>
public sealed record ReplyUpload(string FileName, Func<Stream, CancellationToken, Task> WriteToAsync);
