namespace EmailIntegration.Core.OAuth;

/// <summary>The identity platforms the product signs in to for shared mailboxes.</summary>
public enum OAuthProvider
{
    Microsoft = 1,
    Google = 2,
}
