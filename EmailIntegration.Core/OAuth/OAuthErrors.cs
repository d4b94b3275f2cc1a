using System.Text.RegularExpressions;

namespace EmailIntegration.Core.OAuth;

/// <summary>Turns provider error codes into what an admin has to do.</summary>
public static partial class OAuthErrors
{
    public static OAuthException Translate(string? error, string? description, string applicationName, Exception? inner = null)
    {
        var aadsts = description is null ? null : AadstsCode().Match(description) is { Success: true } m ? m.Value : null;
        var code = aadsts ?? error;
        return aadsts switch
        {
            "AADSTS7000215" => new(OAuthFailureKind.InvalidClient,
                $"The client secret of the application \"{applicationName}\" was refused. Enter the current secret value (not its id) on the OAuth2 Applications tab.", code, inner),
            "AADSTS7000222" => new(OAuthFailureKind.InvalidClient,
                $"The client secret of the application \"{applicationName}\" has expired. Create a new secret in Microsoft Entra and enter it on the OAuth2 Applications tab; accounts keep working without new consent.", code, inner),
            "AADSTS90002" or "AADSTS900023" => new(OAuthFailureKind.WrongApplication,
                $"The directory (tenant) id of the application \"{applicationName}\" was not found. Copy the Directory (tenant) ID from the app registration's overview page.", code, inner),
            "AADSTS700016" => new(OAuthFailureKind.WrongApplication,
                $"The application (client) id of \"{applicationName}\" does not exist in that directory. Check the Application (client) ID and the Directory (tenant) ID.", code, inner),
            "AADSTS50020" => new(OAuthFailureKind.ConsentDenied,
                "The user who signed in is not a member of the application's directory. Sign in with a user of the customer's domain who has access to the shared mailbox.", code, inner),
            "AADSTS65001" => new(OAuthFailureKind.ConsentDenied,
                "The permissions were not granted. Press Authenticate again and accept, or ask an administrator of the directory to grant consent.", code, inner),
            "AADSTS70008" or "AADSTS700082" or "AADSTS50173" or "AADSTS50076" or "AADSTS50079" => new(OAuthFailureKind.GrantRevoked,
                "The sign-in for this mailbox was revoked or has expired (for example after a password change). Press Authenticate to sign in again.", code, inner),
            _ => error switch
            {
                "invalid_grant" => new(OAuthFailureKind.GrantRevoked,
                    "The sign-in for this mailbox was revoked or has expired. Press Authenticate to sign in again.", code, inner),
                "invalid_client" or "unauthorized_client" => new(OAuthFailureKind.InvalidClient,
                    $"The provider refused the client id or secret of the application \"{applicationName}\". Check both on the OAuth2 Applications tab.", code, inner),
                "access_denied" or "consent_required" => new(OAuthFailureKind.ConsentDenied,
                    "Consent was declined at the provider. Press Authenticate again and accept the requested permissions.", code, inner),
                _ => new(OAuthFailureKind.Unavailable,
                    $"The identity provider refused the request ({code ?? "no error code"}). Try again; if it persists, check the application settings.", code, inner),
            },
        };
    }

    [GeneratedRegex(@"AADSTS\d+")]
    private static partial Regex AadstsCode();
}
