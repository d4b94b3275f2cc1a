namespace EmailIntegration.Core.Accounts;

/// <summary>Where an account stands; anything but Connected says what an admin must do.</summary>
public enum AccountState
{
    /// <summary>Added, not authenticated yet.</summary>
    NotAuthenticated = 0,

    Connected = 1,

    /// <summary>The grant was revoked or expired: someone must press Authenticate again.</summary>
    ReauthenticationRequired = 2,

    /// <summary>Authentication works no longer for another reason (secret, server, password); see the reason.</summary>
    Failing = 3,
}
