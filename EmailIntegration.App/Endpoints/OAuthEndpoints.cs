using System.Security.Claims;
using EmailIntegration.App.Hosting;
using EmailIntegration.Core.OAuth;
using Microsoft.AspNetCore.Mvc;

namespace EmailIntegration.App.Endpoints;

internal static class OAuthEndpoints
{
    /// <summary>Ties a consent to the browser that started it; read back on /email/oauth.</summary>
    public const string BindingCookie = "EmailIntegration.OAuthConsent";

    public static IEndpointRouteBuilder MapOAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post (with antiforgery) from the Accounts tab; the provider's answer comes to the
        // /email/oauth page.
        endpoints.MapPost(OAuthProviderOptions.RedirectPath + "/start", async (
            HttpContext context,
            [FromServices] ConsentService consent) =>
        {
            if (!await FormPosts.IsValidAsync(context))
            {
                return Results.BadRequest("The form has expired. Reload the Accounts tab and press Authenticate again.");
            }

            if (!Guid.TryParse(context.Request.Form["accountId"], out var accountId))
            {
                return Results.BadRequest("No account was chosen. Reload the Accounts tab and press Authenticate again.");
            }

            try
            {
                var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
                var start = await consent.StartAsync(accountId, userId, context.RequestAborted);
                context.Response.Cookies.Append(BindingCookie, start.Binding, new CookieOptions
                {
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    // Note: Lax, so the cookie comes along on the provider's top-level redirect back.
                    SameSite = SameSiteMode.Lax,
                    Path = OAuthProviderOptions.RedirectPath,
                    Expires = start.ExpiresUtc,
                    IsEssential = true,
                });
                return Results.Redirect(start.AuthorizeUrl.ToString());
            }
            catch (ConsentException ex)
            {
                return Results.BadRequest(ex.Message);
            }
        }).RequireAuthorization(Policies.Administrator);

        return endpoints;
    }
}
