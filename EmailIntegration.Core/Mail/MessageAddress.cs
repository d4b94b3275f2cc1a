namespace EmailIntegration.Core.Mail;

/// <summary>An address as it appeared on a message.</summary>
public sealed record MessageAddress(string Address, string? Name);
