namespace EmailIntegration.Core.OAuth;

/// <summary>What the provider sent back to the redirect URL.</summary>
public sealed record ConsentCallback(string? State, string? Code, string? Error, string? ErrorDescription);
