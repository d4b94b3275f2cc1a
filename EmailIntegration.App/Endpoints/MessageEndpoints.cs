using System.Text;
using EmailIntegration.App.Hosting;
using EmailIntegration.Core.Conversations;
using Microsoft.AspNetCore.Mvc;

namespace EmailIntegration.App.Endpoints;

internal static class MessageEndpoints
{
    /// <summary>
    /// One message as a page of its own with its remote images, for the sandboxed frame that
    /// "Show remote images" opens: an iframe srcdoc would inherit the page's policy, so remote
    /// images are allowed here by this response's own policy, for this message only. Signed-in
    /// users only (the fallback policy).
    /// </summary>
    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/messages/{id:long}/remote-content", async (
            long id, HttpContext context, [FromServices] ConversationService conversations, CancellationToken cancellationToken) =>
        {
            var body = await conversations.MessageBodyAsync(id, allowRemoteImages: true, cancellationToken);
            if (body is null)
            {
                return Results.NotFound();
            }

            context.UseOwnPolicy(SecurityHeaders.RemoteImagesFramePolicy);
            context.Response.Headers.CacheControl = "no-store";
            var page = new StringBuilder()
                .Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Message</title>")
                .Append("<style>body{margin:0;font-family:Roboto,Helvetica,Arial,sans-serif;font-size:.875rem;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>")
                .Append("</head><body>").Append(body.Html).Append("</body></html>");
            return Results.Content(page.ToString(), "text/html; charset=utf-8");
        });
        return endpoints;
    }
}
