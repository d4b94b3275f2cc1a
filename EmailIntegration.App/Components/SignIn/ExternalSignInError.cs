namespace EmailIntegration.App.Components.SignIn;

/// <summary>Why a sign-in with Microsoft Entra ID ended back on the sign-in page.</summary>
internal enum ExternalSignInError
{
    Incomplete,
    NotAllowed,
    NoUser,
}
