using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EmailIntegration.Core.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Core.Security;

public sealed class KeyRingTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "emailintegration-tests", "keyring-" + Guid.NewGuid().ToString("N"));

    private string CertificateFile(string password)
    {
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=EmailIntegration key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        var path = Path.Combine(folder, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pfx, password));
        return path;
    }

    private static ServiceProvider Provider(string dataPath, string? certificate, string? password)
    {
        var settings = new Dictionary<string, string?> { ["EmailIntegration:DataPath"] = dataPath };
        if (certificate is not null)
        {
            settings["EmailIntegration:KeyRing:CertificatePath"] = certificate;
            settings["EmailIntegration:KeyRing:CertificatePassword"] = password;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPersistence(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void With_a_certificate_the_keys_are_encrypted_at_rest_and_read_back_only_with_it()
    {
        var dataPath = Path.Combine(folder, "data");
        var certificate = CertificateFile("pfx-password-1");
        string protectedSecret;
        using (var provider = Provider(dataPath, certificate, "pfx-password-1"))
        {
            protectedSecret = provider.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("the client secret");
        }

        var keyFiles = Directory.GetFiles(Path.Combine(dataPath, "keys"), "*.xml");
        var xml = File.ReadAllText(Assert.Single(keyFiles));
        Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);

        using (var again = Provider(dataPath, certificate, "pfx-password-1"))
        {
            Assert.Equal("the client secret", again.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedSecret));
        }

        // A copy of the data folder alone opens nothing.
        using var withoutCertificate = Provider(dataPath, null, null);
        Assert.ThrowsAny<CryptographicException>(() =>
            withoutCertificate.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedSecret));
    }

    [Fact]
    public void A_missing_certificate_or_a_wrong_password_is_refused_at_start_with_what_to_fix()
    {
        var missing = Assert.Throws<InvalidOperationException>(() => Provider(Path.Combine(folder, "a"), Path.Combine(folder, "nope.pfx"), "x"));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        var certificate = CertificateFile("right-password");
        var wrong = Assert.Throws<InvalidOperationException>(() => Provider(Path.Combine(folder, "b"), certificate, "wrong-password"));
        Assert.Contains("CertificatePassword", wrong.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleanup.
        }
    }
}
