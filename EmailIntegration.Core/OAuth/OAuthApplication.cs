namespace EmailIntegration.Core.OAuth;

/// <summary>
/// An app registration in Microsoft Entra or Google Cloud that shared accounts sign in through.
/// The client secret is stored encrypted and never read back to a page.
/// </summary>
public sealed class OAuthApplication
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public OAuthProvider Provider { get; set; }

    /// <summary>Directory (tenant) id; Microsoft only.</summary>
    public string? TenantId { get; set; }

    public string ClientId { get; set; } = "";

    public string ProtectedClientSecret { get; set; } = "";

    /// <summary>The redirect URL registered at the provider: the product's base URL plus /email/oauth.</summary>
    public string RedirectUrl { get; set; } = "";

    /// <summary>When the client secret stops working (Microsoft secrets expire; Google's do not).</summary>
    public DateOnly? SecretExpiresOn { get; set; }

    public DateTime SecretUpdatedUtc { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }
}
