using System.Security.Cryptography.X509Certificates;

namespace EmailIntegration.Core.Hosting;

/// <summary>
/// How the Data Protection key ring (which protects sign-in cookies and every stored secret) is kept at
/// rest: by default as plain XML beside the database; with a certificate (<c>EmailIntegration:KeyRing:CertificatePath</c>,
/// a PFX with its private key, and <c>CertificatePassword</c>) each key is encrypted with it, so a copy of the
/// data folder alone opens nothing.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "EmailIntegration:KeyRing";

    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    public bool Protected => !string.IsNullOrWhiteSpace(CertificatePath);

    /// <summary>The certificate, with a message that says what to fix when it cannot be used.</summary>
    public X509Certificate2 LoadCertificate()
    {
        if (!File.Exists(CertificatePath))
        {
            throw new InvalidOperationException(
                $"EmailIntegration:KeyRing:CertificatePath names '{CertificatePath}', which does not exist. Give the path of a PFX file with its private key, or remove the setting.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (System.Security.Cryptography.CryptographicException ex)
        {
            throw new InvalidOperationException(
                $"The key ring certificate '{CertificatePath}' could not be read ({ex.Message}). Check EmailIntegration:KeyRing:CertificatePassword.", ex);
        }

        return certificate.HasPrivateKey
            ? certificate
            : throw new InvalidOperationException($"The key ring certificate '{CertificatePath}' has no private key; the keys could not be read back with it.");
    }
}
