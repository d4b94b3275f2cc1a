using EmailIntegration.App.Hosting;
using EmailIntegration.Core.Views;
using Microsoft.AspNetCore.Mvc;

namespace EmailIntegration.App.Endpoints;

internal static class ViewEndpoints
{
    /// <summary>
    /// The Config Importer's export as a file download, for administrators: all filters, tiles and views,
    /// or those named in <c>items</c> (<c>Filter:webclient.helpdesk.mine,InfoTile:helpdesk.unread-tickets</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapViewEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/settings/config-importer/export", async (
            [FromQuery] string? items, [FromServices] ConfigImporter importer, CancellationToken cancellationToken) =>
        {
            List<(ViewKind, string)>? selection = null;
            if (!string.IsNullOrWhiteSpace(items))
            {
                selection = [];
                foreach (var item in items.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var parts = item.Split(':', 2);
                    if (parts.Length != 2 || !Enum.TryParse<ViewKind>(parts[0], ignoreCase: true, out var kind))
                    {
                        return Results.BadRequest($"'{item}' is not KIND:ID with KIND Filter, InfoTile or TableView.");
                    }

                    selection.Add((kind, parts[1]));
                }
            }

            var json = await importer.ExportAsync(selection, cancellationToken);
            return Results.File(System.Text.Encoding.UTF8.GetBytes(json), "application/json", "email-integration-views.json");
        }).RequireAuthorization(Policies.Administrator);
        return endpoints;
    }
}
