namespace EmailIntegration.Core.OAuth;

/// <summary>What an admin enters for an application. An empty secret on an edit keeps the stored one.</summary>
public sealed record OAuthApplicationInput(
    string Name, OAuthProvider Provider, string? TenantId, string ClientId, string? ClientSecret, string RedirectUrl, DateOnly? SecretExpiresOn);
