using EmailIntegration.App.Endpoints;
using EmailIntegration.App.Hosting;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace EmailIntegration.App.Components.SignIn;

/// <summary>Sign-out and the Microsoft Entra ID sign-in; the routes stay under <c>/account</c>, where users and links know them.</summary>
internal static class SignInEndpoints
{
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var signIn = endpoints.MapGroup("/account");

        // Sign-out is a form post, never a GET that a link or an image could trigger.
        signIn.MapPost("/logout", async (HttpContext context, [FromServices] SignInManager<AppUser> signIn) =>
        {
            if (!await FormPosts.IsValidAsync(context))
            {
                return Results.BadRequest("The sign-out form has expired. Reload the page and try again.");
            }

            await signIn.SignOutAsync();
            return Results.LocalRedirect("~/account/login");
        });

        signIn.MapPost("/external-login", async (
            HttpContext context,
            [FromServices] SignInManager<AppUser> signIn) =>
        {
            if (!await FormPosts.IsValidAsync(context))
            {
                return Results.BadRequest("The sign-in form has expired. Reload the page and try again.");
            }

            var returnUrl = context.Request.Form["returnUrl"].ToString();
            var redirect = $"/account/external-callback?returnUrl={Uri.EscapeDataString(SafeReturnUrl(returnUrl))}";
            var properties = signIn.ConfigureExternalAuthenticationProperties(SignInServiceCollectionExtensions.EntraIdScheme, redirect);
            return Results.Challenge(properties, [SignInServiceCollectionExtensions.EntraIdScheme]);
        }).AllowAnonymous();

        signIn.MapGet("/external-callback", async (
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

    /// <summary>Only a local path is followed after sign-in, so a link cannot send a user elsewhere.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
