namespace EmailIntegration.Core.OAuth;

/// <summary>Why a provider refused; decides the account's state and the words an admin reads.</summary>
public enum OAuthFailureKind
{
    /// <summary>The refresh token was revoked, expired or the password changed: consent again.</summary>
    GrantRevoked,

    /// <summary>The client secret is wrong or expired.</summary>
    InvalidClient,

    /// <summary>The directory (tenant) or application id is wrong.</summary>
    WrongApplication,

    /// <summary>The admin declined or the permissions were not granted.</summary>
    ConsentDenied,

    /// <summary>The provider could not be reached or answered something unexpected.</summary>
    Unavailable,
}
