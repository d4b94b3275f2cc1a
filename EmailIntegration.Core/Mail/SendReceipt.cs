namespace EmailIntegration.Core.Mail;

/// <summary>What the server did with one message: sent, with any recipients it refused.</summary>
public sealed record SendReceipt(IReadOnlyList<string> RefusedRecipients, string? RefusalReason);
