using System.Text;
using System.Text.Json;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.OAuth;

/// <summary>
/// Google through Google.Apis.Auth's request types (authorize URL, code exchange with PKCE, refresh).
/// Its flow classes are not used: they hard-wire Google's endpoints and keep tokens in their own
/// store, and here the endpoints are configuration and the account's token set is stored encrypted.
/// </summary>
public sealed class GoogleTokenClient(IOptions<OAuthProviderOptions> options, OAuthHttp http, TimeProvider clock) : IOAuthTokenClient
{
    // Refresh this long before expiry, as MSAL does, so a token never expires mid-session.
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    public OAuthProvider Provider => OAuthProvider.Google;

    public Task<(Uri Url, string State, string CodeVerifier)> BuildAuthorizeUrlAsync(
        OAuthClientContext context, string loginHint, CancellationToken cancellationToken)
    {
        var verifier = OAuthState.NewValue();
        var state = OAuthState.NewValue();
        var request = new GoogleAuthorizationCodeRequestUrl(options.Value.Google.AuthorizationEndpoint)
        {
            ClientId = context.Application.ClientId,
            RedirectUri = context.Application.RedirectUrl,
            Scope = string.Join(' ', options.Value.Google.Scopes),
            State = state,
            LoginHint = loginHint,
            AccessType = "offline",
            // Note: without prompt=consent Google returns a refresh token only the first time.
            Prompt = "consent",
            CodeChallenge = OAuthState.PkceChallenge(verifier),
            CodeChallengeMethod = "S256",
        };
        return Task.FromResult((request.Build(), state, verifier));
    }

    public async Task<OAuthTokenResult> ExchangeCodeAsync(
        OAuthClientContext context, string code, string codeVerifier, SaveTokensAsync save, CancellationToken cancellationToken)
    {
        var request = new AuthorizationCodeTokenRequest
        {
            Code = code,
            CodeVerifier = codeVerifier,
            RedirectUri = context.Application.RedirectUrl,
            ClientId = context.Application.ClientId,
            ClientSecret = context.ClientSecret,
        };
        var response = await ExecuteAsync(request, context, cancellationToken);
        if (string.IsNullOrEmpty(response.RefreshToken))
        {
            throw new OAuthException(OAuthFailureKind.ConsentDenied,
                "Google did not grant offline access (no refresh token). Remove the app's access in the Google account's security settings and press Authenticate again.");
        }

        var tokens = GoogleTokens.From(response, null);
        await save(tokens.Write(), cancellationToken);
        return new OAuthTokenResult(response.AccessToken, tokens.ExpiresOn, EmailFromIdToken(response.IdToken));
    }

    public async Task<OAuthTokenResult> GetAccessTokenAsync(
        OAuthClientContext context, string tokens, bool forceRefresh, SaveTokensAsync save, CancellationToken cancellationToken)
    {
        var stored = GoogleTokens.Read(tokens);
        if (!forceRefresh && stored.AccessToken is { Length: > 0 } current && stored.ExpiresOn - RefreshMargin > clock.GetUtcNow())
        {
            return new OAuthTokenResult(current, stored.ExpiresOn, null);
        }

        var request = new RefreshTokenRequest
        {
            RefreshToken = stored.RefreshToken,
            ClientId = context.Application.ClientId,
            ClientSecret = context.ClientSecret,
        };
        var response = await ExecuteAsync(request, context, cancellationToken);
        // Google keeps the refresh token; a provider that rotates it sends a new one, saved at once.
        var refreshed = GoogleTokens.From(response, stored.RefreshToken);
        await save(refreshed.Write(), cancellationToken);
        return new OAuthTokenResult(response.AccessToken, refreshed.ExpiresOn, null);
    }

    private async Task<TokenResponse> ExecuteAsync(TokenRequest request, OAuthClientContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ExecuteAsync(http.GetHttpClient(), options.Value.Google.TokenEndpoint.ToString(), cancellationToken, new GoogleClock(clock));
        }
        catch (TokenResponseException ex)
        {
            throw OAuthErrors.Translate(ex.Error?.Error, ex.Error?.ErrorDescription, context.Application.Name, ex);
        }
        catch (HttpRequestException ex)
        {
            throw new OAuthException(OAuthFailureKind.Unavailable, $"Google's token endpoint could not be reached: {ex.Message}", null, ex);
        }
    }

    /// <summary>The email claim of the ID token the token endpoint returned over TLS (OpenID Connect 3.1.3.7).</summary>
    private static string? EmailFromIdToken(string? idToken)
    {
        var parts = idToken?.Split('.');
        if (parts is not { Length: 3 })
        {
            return null;
        }

        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using var json = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload)));
            return json.RootElement.TryGetProperty("email", out var email) ? email.GetString() : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record GoogleTokens(string RefreshToken, string? AccessToken, DateTimeOffset ExpiresOn)
    {
        public static GoogleTokens From(TokenResponse response, string? previousRefreshToken) => new(
            string.IsNullOrEmpty(response.RefreshToken) ? previousRefreshToken ?? "" : response.RefreshToken,
            response.AccessToken,
            new DateTimeOffset(response.IssuedUtc, TimeSpan.Zero).AddSeconds(response.ExpiresInSeconds ?? 3600));

        public string Write() => JsonSerializer.Serialize(this);

        public static GoogleTokens Read(string tokens)
        {
            try
            {
                return JsonSerializer.Deserialize<GoogleTokens>(tokens) ?? throw new OAuthException(OAuthFailureKind.GrantRevoked,
                    "No sign-in is stored for this mailbox. Press Authenticate to sign in.");
            }
            catch (JsonException ex)
            {
                throw new OAuthException(OAuthFailureKind.GrantRevoked, "The stored sign-in for this mailbox is damaged. Press Authenticate to sign in again.", null, ex);
            }
        }
    }

    private sealed class GoogleClock(TimeProvider clock) : Google.Apis.Util.IClock
    {
        public DateTime Now => clock.GetLocalNow().DateTime;

        public DateTime UtcNow => clock.GetUtcNow().UtcDateTime;
    }
}
