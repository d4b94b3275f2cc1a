using System.Security.Claims;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticFiles;

namespace EmailIntegration.App.Endpoints;

internal static class FileEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>
    /// The bytes behind a record's file property (documents, embedded images, raw failed messages),
    /// for signed-in users who may read the limetype (<see cref="LimetypeAccess"/>: raw failed messages
    /// are for administrators). A stored key that is not the file store's answers 404 and is logged
    /// with the record it came from. Only raster images are shown inline; everything else downloads, so a
    /// stored HTML or SVG file can never run as a page of this site.
    /// </summary>
    public static IEndpointRouteBuilder MapFileEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/files/{limetype}/{id:long}", async (
            string limetype, long id, [FromQuery] string? property, ClaimsPrincipal user,
            [FromServices] ObjectStore store, [FromServices] SchemaService schemas, [FromServices] IFileStore files,
            [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            if (!LimetypeAccess.CanRead(user, limetype))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

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

            Stream? stream;
            try
            {
                stream = await files.OpenAsync(key, cancellationToken);
            }
            catch (InvalidFileKeyException)
            {
                // The key itself is not logged: a record's text is no one's to echo into the log.
                loggers.CreateLogger(typeof(FileEndpoints).FullName!).LogWarning(
                    "The {Property} of {Limetype} {Id} holds a key outside the file store; answered 404", fileProperty.Name, limetype, id);
                return Results.NotFound();
            }

            if (stream is null)
            {
                loggers.CreateLogger(typeof(FileEndpoints).FullName!).LogWarning(
                    "The file of {Property} on {Limetype} {Id} is missing from the file store; answered 404", fileProperty.Name, limetype, id);
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

        // A file inside an attached email (a document of the runtime configuration's document limetype): its
        // images in the thread, its attachments as downloads. Only documents carry attached emails.
        endpoints.MapGet("/attached-files/{documentId:long}/{path}", async (
            long documentId, string path, ClaimsPrincipal user,
            [FromServices] ObjectStore store, [FromServices] SchemaService schemas, [FromServices] SettingsStore settings,
            [FromServices] IFileStore files, CancellationToken cancellationToken) =>
        {
            var limetype = (await settings.GetRuntimeAsync(cancellationToken)).Document.Limetype;
            if (!LimetypeAccess.CanRead(user, limetype))
            {
                return Results.StatusCode(StatusCodes.Status403Forbidden);
            }

            var fileProperty = (await schemas.GetAsync(cancellationToken)).Find(limetype)?.Ordered.FirstOrDefault(p => p.Type == PropertyType.File);
            if (fileProperty is null || await store.GetAsync(limetype, documentId, cancellationToken) is not { } record || record.Text(fileProperty.Name) is not { Length: > 0 } key)
            {
                return Results.NotFound();
            }

            Stream? stream;
            try
            {
                stream = await files.OpenAsync(key, cancellationToken);
            }
            catch (InvalidFileKeyException)
            {
                return Results.NotFound();
            }

            if (stream is null)
            {
                return Results.NotFound();
            }

            var content = new MemoryStream();
            await using (stream)
            {
                if (await EmailIntegration.Core.Mail.AttachedMessages.WritePartAsync(stream, path, content, cancellationToken) is not { } part)
                {
                    return Results.NotFound();
                }

                content.Position = 0;
                var inline = part.ContentType.ToLowerInvariant() is "image/png" or "image/jpeg" or "image/gif" or "image/webp";
                return Results.Stream(content, inline ? part.ContentType : "application/octet-stream", inline ? null : part.Name);
            }
        });
        return endpoints;
    }
}
