namespace EmailIntegration.Core.OAuth;

/// <summary>A refusal from the provider, with a sentence saying what to fix. Never carries a secret.</summary>
public sealed class OAuthException(OAuthFailureKind kind, string message, string? providerCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public OAuthFailureKind Kind { get; } = kind;

    /// <summary>The provider's own code (an AADSTS number or an OAuth error), for support.</summary>
    public string? ProviderCode { get; } = providerCode;
}
