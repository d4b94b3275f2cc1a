using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Accounts;

/// <summary>The outcome of "Test connection": each step, and the state the account is now in.</summary>
public sealed record AccountCheckResult(IReadOnlyList<DiagnosticStep> Steps, AccountState State, string? Reason)
{
    public bool Passed => Steps.All(s => s.Outcome != DiagnosticOutcome.Failed);
}
