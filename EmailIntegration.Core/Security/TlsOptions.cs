using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace EmailIntegration.Core.Security;

/// <summary>
/// Certificates trusted in addition to the system's, for mail servers and identity providers
/// with a private certificate authority or a self-signed certificate
/// (<c>EmailIntegration:Tls:TrustedCertificates</c>, PEM file paths). A server certificate is
/// accepted when the system trusts it or when it is exactly one of these; nothing is ever
/// accepted blindly.
/// </summary>
public sealed class TlsOptions
{
    public const string SectionName = "EmailIntegration:Tls";

    public IList<string> TrustedCertificates { get; } = [];

    private IReadOnlyList<X509Certificate2>? loaded;

    private IReadOnlyList<X509Certificate2> Loaded => loaded ??= TrustedCertificates
        .Where(path => !string.IsNullOrWhiteSpace(path))
        .Select(path => X509Certificate2.CreateFromPem(File.ReadAllText(path)))
        .ToList();

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        var hash = certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256);
        return Loaded.Any(trusted => string.Equals(
            trusted.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), hash, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>An HTTP handler for identity provider calls that applies the same trust rules.</summary>
    public HttpMessageHandler CreateHttpHandler() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors),
        },
    };
}
