using System.Security.Cryptography;

namespace EmailIntegration.App.Hosting;

/// <summary>
/// The Content-Security-Policy of every page, <c>Referrer-Policy: no-referrer</c> and <c>nosniff</c> on every
/// response. The policy is the second wall behind the mail sanitizer: whatever slips past it, the
/// browser fetches images, styles, fonts and connections only from this origin (and data: images),
/// never from a remote host.
/// </summary>
internal static class SecurityHeaders
{
    private const string NonceKey = "EmailIntegration.CspNonce";
    private const string OwnPolicyKey = "EmailIntegration.OwnCsp";

    /// <summary>Gives this response a policy of its own instead of the pages' one.</summary>
    public static void UseOwnPolicy(this HttpContext context, string policy)
    {
        context.Items[OwnPolicyKey] = true;
        context.Response.Headers.ContentSecurityPolicy = policy;
    }

    /// <summary>The nonce of this response's policy, for the one inline script Blazor writes (the import map).</summary>
    public static string CspNonce(this HttpContext context) => context.Items[NonceKey] as string ?? "";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["Referrer-Policy"] = "no-referrer";
            // Note: replaces the "frame-ancestors 'self'" that Blazor's interactive server rendering writes (the page
            // policy keeps that directive); an endpoint with a policy of its own (a message's frame) keeps it.
            if (!context.Items.ContainsKey(OwnPolicyKey))
            {
                headers.ContentSecurityPolicy = PagePolicy(context.Request.Host.Value ?? "", nonce);
            }

            return Task.CompletedTask;
        });
        await next(context);
    });

    /// <summary>The policy of the App's own pages.</summary>
    public static string PagePolicy(string host, string nonce) => string.Join("; ",
        "default-src 'self'",
        // Blazor's import map is the only inline script; BlazorMonaco's scripts and workers are files under /_content.
        $"script-src 'self' 'nonce-{nonce}'",
        "worker-src 'self' blob:",
        // Note: 'unsafe-inline' because MudBlazor sets style attributes and Monaco adds <style> elements at run time;
        // inline styles cannot fetch anything that img-src and font-src do not allow.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        // Blazor Server's circuit is a WebSocket to this same host.
        $"connect-src 'self' ws://{host} wss://{host}",
        "media-src 'self'",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'");

    /// <summary>
    /// The policy of one message's frame after "Show remote images": that message's http(s) images
    /// load, nothing else does (no scripts, no styles sheets, no fonts, no connections), and the
    /// frame is a sandbox with an opaque origin whose links open in a new tab.
    /// </summary>
    public const string RemoteImagesFramePolicy =
        "default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";

    /// <summary>The policy written into the template preview's srcdoc frame: the template and thread as they will be sent, with no remote fetch.</summary>
    public const string TemplatePreviewPolicy = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";

    /// <summary><c>X-Content-Type-Options: nosniff</c> on every response: stored files are never sniffed into something else.</summary>
    public static IApplicationBuilder UseNoSniff(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await next(context);
    });
}
