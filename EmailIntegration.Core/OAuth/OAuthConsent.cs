namespace EmailIntegration.Core.OAuth;

/// <summary>
/// A consent started by an admin and not finished yet. Kept in the database (not in memory) so
/// any node can finish it; deleted when used, so a state value works once.
/// </summary>
public sealed class OAuthConsent
{
    /// <summary>SHA-256 of the state value sent to the provider; the value itself is not stored.</summary>
    public string StateHash { get; set; } = "";

    /// <summary>SHA-256 of the browser binding cookie set when the consent started.</summary>
    public string BindingHash { get; set; } = "";

    public string UserId { get; set; } = "";

    public Guid AccountId { get; set; }

    public string ProtectedCodeVerifier { get; set; } = "";

    public DateTime CreatedUtc { get; set; }

    public DateTime ExpiresUtc { get; set; }
}
