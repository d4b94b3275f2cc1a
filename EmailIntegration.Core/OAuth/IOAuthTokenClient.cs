namespace EmailIntegration.Core.OAuth;

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
