using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace EmailIntegration.Core.OAuth;

/// <summary>
/// Microsoft Entra through MSAL: a confidential client per call, whose token cache is the
/// account's encrypted token set. MSAL refreshes an access token that has less than five minutes
/// left, and a refresh token it rotates reaches <see cref="SaveTokensAsync"/> before the call returns.
/// </summary>
public sealed class MicrosoftTokenClient(IOptions<OAuthProviderOptions> options, OAuthHttp http) : IOAuthTokenClient
{
    public OAuthProvider Provider => OAuthProvider.Microsoft;

    private IEnumerable<string> Scopes => options.Value.Microsoft.Scopes.Append("email");

    public async Task<(Uri Url, string State, string CodeVerifier)> BuildAuthorizeUrlAsync(
        OAuthClientContext context, string loginHint, CancellationToken cancellationToken)
    {
        var app = Build(context, null, null, cancellationToken);
        var url = await app.GetAuthorizationRequestUrl(Scopes)
            .WithLoginHint(loginHint)
            .WithPkce(out var verifier)
            .ExecuteAsync(cancellationToken);
        // Note: if MSAL puts a state of its own into the URL, that one is bound to the admin.
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query).TryGetValue("state", out var given) ? given.ToString() : null;
        if (string.IsNullOrEmpty(state))
        {
            state = OAuthState.NewValue();
            url = new Uri(Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(url.ToString(), "state", state));
        }

        return (url, state, verifier);
    }

    public async Task<OAuthTokenResult> ExchangeCodeAsync(
        OAuthClientContext context, string code, string codeVerifier, SaveTokensAsync save, CancellationToken cancellationToken)
    {
        var app = Build(context, null, save, cancellationToken);
        try
        {
            var result = await app.AcquireTokenByAuthorizationCode(Scopes, code)
                .WithPkceCodeVerifier(codeVerifier)
                .ExecuteAsync(cancellationToken);
            return new OAuthTokenResult(result.AccessToken, result.ExpiresOn, result.Account?.Username);
        }
        catch (MsalException ex)
        {
            throw Translate(ex, context);
        }
    }

    public async Task<OAuthTokenResult> GetAccessTokenAsync(
        OAuthClientContext context, string tokens, bool forceRefresh, SaveTokensAsync save, CancellationToken cancellationToken)
    {
        var stored = MsalTokens.Read(tokens);
        var app = Build(context, stored, save, cancellationToken);
        var account = stored.HomeAccountId is null ? null : await app.GetAccountAsync(stored.HomeAccountId);
        if (account is null)
        {
            throw new OAuthException(OAuthFailureKind.GrantRevoked,
                "No sign-in is stored for this mailbox. Press Authenticate to sign in.");
        }

        try
        {
            var result = await app.AcquireTokenSilent(Scopes, account)
                .WithForceRefresh(forceRefresh)
                .ExecuteAsync(cancellationToken);
            return new OAuthTokenResult(result.AccessToken, result.ExpiresOn, result.Account?.Username);
        }
        catch (MsalUiRequiredException ex)
        {
            throw OAuthErrors.Translate("invalid_grant", ex.Message, context.Application.Name, ex);
        }
        catch (MsalException ex)
        {
            throw Translate(ex, context);
        }
    }

    private IConfidentialClientApplication Build(
        OAuthClientContext context, MsalTokens? stored, SaveTokensAsync? save, CancellationToken cancellationToken)
    {
        var tenant = Uri.EscapeDataString(context.Application.TenantId ?? "");
        var authority = new Uri(options.Value.Microsoft.AuthorityHost, tenant + "/");
        var app = ConfidentialClientApplicationBuilder.Create(context.Application.ClientId)
            .WithClientSecret(context.ClientSecret)
            // Note: the authority is configuration (a sovereign cloud, or the tests' provider), so
            // MSAL must not ask login.microsoftonline.com to validate it.
            .WithAuthority(authority.ToString(), validateAuthority: false)
            .WithInstanceDiscovery(false)
            .WithRedirectUri(context.Application.RedirectUrl)
            .WithHttpClientFactory(http)
            .Build();

        var homeAccountId = stored?.HomeAccountId;
        app.UserTokenCache.SetBeforeAccess(args =>
        {
            if (stored?.Cache is { Length: > 0 } cache)
            {
                args.TokenCache.DeserializeMsalV3(cache);
            }
        });
        app.UserTokenCache.SetAfterAccessAsync(async args =>
        {
            if (args.HasStateChanged && save is not null)
            {
                homeAccountId = args.Account?.HomeAccountId?.Identifier ?? homeAccountId;
                var serialized = new MsalTokens(args.TokenCache.SerializeMsalV3(), homeAccountId);
                stored = serialized;
                await save(serialized.Write(), cancellationToken);
            }
        });
        return app;
    }

    private static OAuthException Translate(MsalException ex, OAuthClientContext context) => ex switch
    {
        MsalServiceException service => OAuthErrors.Translate(service.ErrorCode, service.Message, context.Application.Name, ex),
        _ => new OAuthException(OAuthFailureKind.Unavailable,
            $"Microsoft sign-in failed: {ex.ErrorCode}. Check the network and the application settings.", ex.ErrorCode, ex),
    };

    /// <summary>MSAL's serialized cache and which account in it is the mailbox's.</summary>
    private sealed record MsalTokens(byte[] Cache, string? HomeAccountId)
    {
        public string Write() => JsonSerializer.Serialize(this);

        public static MsalTokens Read(string tokens)
        {
            try
            {
                return JsonSerializer.Deserialize<MsalTokens>(tokens) ?? new MsalTokens([], null);
            }
            catch (JsonException ex)
            {
                throw new OAuthException(OAuthFailureKind.GrantRevoked, "The stored sign-in for this mailbox is damaged. Press Authenticate to sign in again.", null, ex);
            }
        }
    }
}
