using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>Drives the mail stack's local OAuth2 provider as a person and a client would.</summary>
public sealed class IdentityProviderClient : IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = MailStack.IdentityProvider };

    public Task RegisterClientAsync(string clientId, params string[] secrets) =>
        PostJsonAsync("/control/clients", new { client_id = clientId, secrets });

    /// <summary>The grant types the token endpoint was asked for, per client.</summary>
    public async Task<IReadOnlyList<string>> TokenRequestsAsync(string clientId)
    {
        var log = await http.GetFromJsonAsync<List<Dictionary<string, JsonElement>>>("/control/log");
        return log!.Where(e => e["client_id"].GetString() == clientId).Select(e => e["grant_type"].GetString() ?? "").ToList();
    }

    /// <summary>Revokes every grant of a user, as an admin or a password change at the provider does.</summary>
    public Task RevokeUserAsync(string user) => PostJsonAsync("/control/revoke-user", new { user });

    /// <summary>
    /// Consents at the provider like a person: opens the authorize URL the product built, signs in,
    /// allows, and returns where the provider sends the browser back to.
    /// </summary>
    public static async Task<Uri> ConsentAsync(Uri authorizeUrl, string user, string? password = null)
    {
        using var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                errors == System.Net.Security.SslPolicyErrors.None || certificate?.Thumbprint == PinnedCertificate.Thumbprint,
        };
        using var https = new HttpClient(handler);
        var page = await https.GetStringAsync(authorizeUrl);
        Assert.Contains("Sign in to the mail stack", page, StringComparison.Ordinal);
        var form = QueryHelpers.ParseQuery(authorizeUrl.Query).ToDictionary(p => p.Key, p => p.Value.ToString());
        form["username"] = user;
        form["password"] = password ?? MailStack.Password;
        form["decision"] = "allow";
        using var consent = await https.PostAsync(authorizeUrl.GetLeftPart(UriPartial.Path), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Found, consent.StatusCode);
        return consent.Headers.Location!;
    }

    private static readonly Lazy<System.Security.Cryptography.X509Certificates.X509Certificate2> Pinned =
        new(() => System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(File.ReadAllText(MailStack.TlsCertificate)));

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 PinnedCertificate => Pinned.Value;

    // Note: a buffered body with Content-Length; the provider is a plain HTTP/1.0 server without chunked reads.
    private async Task PostJsonAsync(string path, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The authorization code flow with PKCE, the user consenting on the provider's page.</summary>
    public async Task<TokenResponse> AuthorizeAsync(string clientId, string clientSecret, string user, string scope)
    {
        const string redirectUri = "http://localhost/email/oauth";
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var state = Base64Url(RandomNumberGenerator.GetBytes(16));
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirectUri,
            ["response_type"] = "code",
            ["scope"] = scope,
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["login_hint"] = user,
        };
        var page = await http.GetStringAsync(QueryHelpers.AddQueryString("/common/oauth2/v2.0/authorize", query));
        Assert.Contains("Sign in to the mail stack", page, StringComparison.Ordinal);

        var form = new Dictionary<string, string>(query!) { ["username"] = user, ["password"] = MailStack.Password, ["decision"] = "allow" };
        using var consent = await http.PostAsync("/common/oauth2/v2.0/authorize", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Found, consent.StatusCode);
        var callback = QueryHelpers.ParseQuery(consent.Headers.Location!.Query);
        Assert.Equal(state, callback["state"].ToString());

        using var token = await http.PostAsync("/common/oauth2/v2.0/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = callback["code"].ToString(),
            ["redirect_uri"] = redirectUri,
            ["client_id"] = clientId,
            ["client_secret"] = clientSecret,
            ["code_verifier"] = verifier,
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.IsSuccessStatusCode, body);
        return JsonSerializer.Deserialize<TokenResponse>(body)!;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose() => http.Dispose();
}

public sealed record TokenResponse(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);
