namespace EmailIntegration.App.Components.SignIn;

/// <summary>The sign-in page's words for an <see cref="ExternalSignInError"/> code.</summary>
internal static class ExternalSignInErrors
{
    public static string? Describe(string? code) => Enum.TryParse<ExternalSignInError>(code, ignoreCase: false, out var error)
        ? error switch
        {
            ExternalSignInError.Incomplete => "The sign-in with Microsoft did not complete. Try again.",
            ExternalSignInError.NotAllowed => "This user is locked out or disabled. Ask an administrator.",
            _ => "There is no user for this Microsoft account here. Ask an administrator to add you with the same email address.",
        }
        : null;
}
