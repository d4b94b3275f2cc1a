namespace EmailIntegration.Core.OAuth;

/// <summary>What a token client needs: the application, its decrypted secret, and the options.</summary>
public sealed record OAuthClientContext(OAuthApplication Application, string ClientSecret);

/// <summary>
/// A fresh access token, and the account's whole token set serialized for encrypted storage.
/// <see cref="SignedInAs"/> is the user the provider says consented (when it says).
/// </summary>
public sealed record OAuthTokenResult(string AccessToken, DateTimeOffset ExpiresOn, string? SignedInAs);

/// <summary>Saves a changed token set the moment the provider hands it out.</summary>
public delegate Task SaveTokensAsync(string tokens, CancellationToken cancellationToken);

/// <summary>One provider's half of the consent flow and of token refresh.</summary>
public interface IOAuthTokenClient
{
    OAuthProvider Provider { get; }

    /// <summary>The provider's authorize URL with PKCE; returns the verifier to keep for the code exchange.</summary>
    Task<(Uri Url, string State, string CodeVerifier)> BuildAuthorizeUrlAsync(
        OAuthClientContext context, string loginHint, CancellationToken cancellationToken);

    Task<OAuthTokenResult> ExchangeCodeAsync(
        OAuthClientContext context, string code, string codeVerifier, SaveTokensAsync save, CancellationToken cancellationToken);

    /// <summary>An access token valid for a few more minutes, refreshing (once) when it is not.</summary>
    Task<OAuthTokenResult> GetAccessTokenAsync(
        OAuthClientContext context, string tokens, bool forceRefresh, SaveTokensAsync save, CancellationToken cancellationToken);
}

/// <summary>Why a provider refused; decides the account's state and the words an admin reads.</summary>
public enum OAuthFailureKind
{
    /// <summary>The refresh token was revoked, expired or the password changed: consent again.</summary>
    GrantRevoked,

    /// <summary>The client secret is wrong or expired.</summary>
    InvalidClient,

    /// <summary>The directory (tenant) or application id is wrong.</summary>
    WrongApplication,

    /// <summary>The admin declined or the permissions were not granted.</summary>
    ConsentDenied,

    /// <summary>The provider could not be reached or answered something unexpected.</summary>
    Unavailable,
}

/// <summary>A refusal from the provider, with a sentence saying what to fix. Never carries a secret.</summary>
public sealed class OAuthException(OAuthFailureKind kind, string message, string? providerCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    public OAuthFailureKind Kind { get; } = kind;

    /// <summary>The provider's own code (an AADSTS number or an OAuth error), for support.</summary>
    public string? ProviderCode { get; } = providerCode;
}
