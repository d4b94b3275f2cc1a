namespace EmailIntegration.Core.Mail;

/// <summary>One checked step, and when it failed, what an admin should do.</summary>
public sealed record DiagnosticStep(string Name, DiagnosticOutcome Outcome, string Detail, string? Fix = null);
