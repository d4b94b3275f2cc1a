namespace EmailIntegration.Core.Mail;

/// <summary>What to check: the mailbox's servers, how to sign in, and the failure folder.</summary>
public sealed record DiagnosticRequest(
    string Mailbox,
    MailServer Imap,
    MailServer Smtp,
    Func<CancellationToken, Task<MailCredential>> Credential,
    string FailureFolder,
    MailProviderKind Provider);
