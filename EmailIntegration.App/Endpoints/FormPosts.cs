using Microsoft.AspNetCore.Antiforgery;

namespace EmailIntegration.App.Endpoints;

internal static class FormPosts
{
    /// <summary>
    /// Checks the antiforgery token explicitly: these endpoints read no form model, so the
    /// framework's automatic check for form-bound parameters does not run for them.
    /// </summary>
    public static async Task<bool> IsValidAsync(HttpContext context)
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
}
