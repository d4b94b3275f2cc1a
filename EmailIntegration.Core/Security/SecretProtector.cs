using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace EmailIntegration.Core.Security;

/// <summary>
/// Encrypts client secrets, refresh tokens and mailbox passwords before they reach the database,
/// with the Data Protection key ring kept in the data folder.
/// </summary>
public sealed class SecretProtector(IDataProtectionProvider provider)
{
    private readonly IDataProtector protector = provider.CreateProtector("EmailIntegration.StoredSecrets.v1");

    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret, or null when it cannot be read (a restored database without its key ring).</summary>
    public string? TryUnprotect(string? protectedSecret)
    {
        if (string.IsNullOrEmpty(protectedSecret))
        {
            return null;
        }

        try
        {
            return protector.Unprotect(protectedSecret);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
