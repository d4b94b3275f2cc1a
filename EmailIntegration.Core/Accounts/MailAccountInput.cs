using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Accounts;

/// <summary>What an admin enters for an account. Password fields apply to password accounts only;
/// an empty password on an edit keeps the stored one.</summary>
public sealed record MailAccountInput(
    string DisplayName,
    string EmailAddress,
    AccountAuthentication Authentication,
    Guid? OAuthApplicationId,
    string? FailureFolder = null,
    MailServer? Imap = null,
    MailServer? Smtp = null,
    string? UserName = null,
    string? Password = null);
