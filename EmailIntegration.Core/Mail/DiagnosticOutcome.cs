namespace EmailIntegration.Core.Mail;

public enum DiagnosticOutcome
{
    Passed,
    Warning,
    Failed,
    Skipped,
}
