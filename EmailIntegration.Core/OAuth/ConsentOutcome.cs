using EmailIntegration.Core.Accounts;

namespace EmailIntegration.Core.OAuth;

/// <summary>How a consent ended, in words for the page at /email/oauth.</summary>
public sealed record ConsentOutcome(bool Succeeded, string Title, string Message, Guid? AccountId = null, AccountCheckResult? Check = null);
