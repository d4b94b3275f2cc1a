using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticFiles;

namespace EmailIntegration.App.Endpoints;

internal static class FileEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// The bytes behind a record's file property (documents, embedded images, raw failed messages),
    /// for signed-in users. Only raster images are shown inline; everything else downloads, so a
    /// stored HTML or SVG file can never run as a page of this site.
    /// </summary>
    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/files/{limetype}/{id:long}", async (
            string limetype, long id, [FromQuery] string? property,
            [FromServices] ObjectStore store, [FromServices] SchemaService schemas, [FromServices] IFileStore files, CancellationToken cancellationToken) =>
        {
            var schema = await schemas.GetAsync(cancellationToken);
            var type = schema.Find(limetype);
            var fileProperty = type?.Ordered.FirstOrDefault(p => p.Type == PropertyType.File && (property is null || p.Name == property));
            if (fileProperty is null)
            {
                return Results.NotFound();
            }

            var record = await store.GetAsync(limetype, id, cancellationToken);
            if (record?.Text(fileProperty.Name) is not { Length: > 0 } key)
            {
                return Results.NotFound();
            }

            var stream = await files.OpenAsync(key, cancellationToken);
            if (stream is null)
            {
                return Results.NotFound();
            }

            var fileName = Path.GetFileName(key);
            if (!ContentTypes.TryGetContentType(fileName, out var contentType))
            {
                contentType = "application/octet-stream";
            }

            var inline = contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";
            return Results.Stream(stream, inline ? contentType : "application/octet-stream", inline ? null : fileName, enableRangeProcessing: true);
        });
        return endpoints;
    }

    /// <summary>Stored files are never sniffed into something else.</summary>
    public static IApplicationBuilder UseNoSniff(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await next(context);
    });
}
