using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Import;

/// <summary>A message that failed inside a batch: a mailbox's is recorded after the commit, an archive's in the batch's transaction.</summary>
internal sealed record Failure(IncomingMessage? Message, MailboxMessageRef Ref, string Reason, string? RawKey);
