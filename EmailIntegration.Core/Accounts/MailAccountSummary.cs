using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;

namespace EmailIntegration.Core.Accounts;

/// <summary>An account as pages show it; no secret, no token.</summary>
public sealed record MailAccountSummary(
    Guid Id, string DisplayName, string EmailAddress, AccountAuthentication Authentication,
    Guid? OAuthApplicationId, string? ApplicationName, OAuthProvider? Provider,
    AccountState State, string? StateReason, DateTime StateChangedUtc, DateTime? LastCheckedUtc,
    string? ConsentedBy, bool HasTokens, string FailureFolder,
    MailServer? Imap, MailServer? Smtp, string? UserName);
