namespace EmailIntegration.Core.OAuth;

/// <summary>An application as pages show it: everything but the secret.</summary>
public sealed record OAuthApplicationSummary(
    Guid Id, string Name, OAuthProvider Provider, string? TenantId, string ClientId, string RedirectUrl,
    DateOnly? SecretExpiresOn, DateTime SecretUpdatedUtc, int AccountCount, SecretExpiry Expiry);
