using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Conversations;

/// <summary>
/// An email the message carries, stored as a document (<see cref="DownloadUrl"/>, the files inside it below
/// <see cref="PartUrl"/>); <see cref="Message"/> is null when it cannot be shown.
/// </summary>
public sealed record ThreadAttachedMessage(long DocumentId, string Name, AttachedMessage? Message, string DownloadUrl, string PartUrl);
