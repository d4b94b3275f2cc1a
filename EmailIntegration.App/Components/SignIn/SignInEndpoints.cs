using EmailIntegration.App.Hosting;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EmailIntegration.App.Endpoints;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/account");

        // Sign-out is a form post, never a GET that a link or an image could trigger.
        account.MapPost("/logout", async (HttpContext context, [FromServices] SignInManager<AppUser> signIn) =>
        {
            if (!await IsValidFormPostAsync(context))
            {
                return Results.BadRequest("The sign-out form has expired. Reload the page and try again.");
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        });

        account.MapPost("/external-login", async (
            HttpContext context,
            [FromServices] SignInManager<AppUser> signIn) =>
        {
            if (!await IsValidFormPostAsync(context))
            {
                return Results.BadRequest("The sign-in form has expired. Reload the page and try again.");
            }

            var returnUrl = context.Request.Form["returnUrl"].ToString();
            var redirect = $"/account/external-callback?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
            var properties = signIn.ConfigureExternalAuthenticationProperties(SignInServiceCollectionExtensions.EntraIdScheme, redirect);
            return Results.Challenge(properties, [SignInServiceCollectionExtensions.EntraIdScheme]);
        }).AllowAnonymous();

        account.MapGet("/external-callback", async (
            HttpContext context,
            [FromServices] SignInManager<AppUser> signIn,
            [FromServices] ILoggerFactory loggers,
            [FromQuery] string? returnUrl) =>
        {
            var logger = loggers.CreateLogger("EmailIntegration.SignIn");
            var info = await signIn.GetExternalLoginInfoAsync();
            if (info is null)
            {
                return (IResult)Failed(ExternalSignInError.Incomplete);
            }

            var result = await signIn.ExternalLoginSignInAsync(info.LoginProvider, info.ProviderKey, isPersistent: false, bypassTwoFactor: true);
            if (result.Succeeded)
            {
                await context.SignOutAsync(IdentityConstants.ExternalScheme);
                return TypedResults.LocalRedirect("~" + SafeReturnUrl(returnUrl));
            }

            if (result.IsLockedOut || result.IsNotAllowed)
            {
                return Failed(ExternalSignInError.NotAllowed);
            }

            // First sign-in with Entra ID: link to the local user an administrator created with the same email.
            var email = info.Principal.FindFirst("preferred_username")?.Value
                ?? info.Principal.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value;
            var user = email is null ? null : await signIn.UserManager.FindByEmailAsync(email);
            if (user is null)
            {
                logger.LogWarning("Entra ID sign-in refused: no local user for {Email}", email);
                return Failed(ExternalSignInError.NoUser);
            }

            var linked = await signIn.UserManager.AddLoginAsync(user, info);
            if (!linked.Succeeded || !await signIn.CanSignInAsync(user))
            {
                return Failed(ExternalSignInError.NotAllowed);
            }

            await signIn.SignInAsync(user, isPersistent: false, info.LoginProvider);
            await context.SignOutAsync(IdentityConstants.ExternalScheme);
            logger.LogInformation("Entra ID login linked to {Email}", email);
            return TypedResults.LocalRedirect("~" + SafeReturnUrl(returnUrl));

            // Only a code travels in the URL, so a crafted link cannot put its own words on the sign-in page.
            Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult Failed(ExternalSignInError error) =>
                TypedResults.Redirect($"/account/login?error={error}");
        }).AllowAnonymous();

        return endpoints;
    }

    /// <summary>
    /// Checks the antiforgery token explicitly: these endpoints read no form model, so the
    /// framework's automatic check for form-bound parameters does not run for them.
    /// </summary>
    internal static async Task<bool> IsValidFormPostAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            await antiforgery.ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    /// <summary>Only a local path is followed after sign-in, so a link cannot send a user elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}

/// <summary>Why a sign-in with Microsoft Entra ID ended back on the sign-in page.</summary>
internal enum ExternalSignInError
{
    Incomplete,
    NotAllowed,
    NoUser,
}

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
