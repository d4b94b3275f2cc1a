using System.Security.Cryptography;
using System.Text;

namespace EmailIntegration.Core.OAuth;

/// <summary>Random values and their hashes for the consent flow.</summary>
public static class OAuthState
{
    public static string NewValue() => Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>What the database stores instead of the value itself.</summary>
    public static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>The S256 code challenge of a PKCE verifier (RFC 7636).</summary>
    public static string PkceChallenge(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
