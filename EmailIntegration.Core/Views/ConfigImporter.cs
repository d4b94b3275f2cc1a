using System.Text.Json.Nodes;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Views;

/// <summary>
/// The Config Importer: a JSON file of filters, info tiles or table views (an array of one kind, or
/// one object with the arrays <c>filters</c>, <c>infoTiles</c> and <c>tableViews</c>) is shown item by
/// item as new, replacing (with a diff) or unchanged, and imported all or nothing. Export writes the same format.
/// </summary>
public sealed class ConfigImporter(IDbContextFactory<AppDbContext> dbFactory, SchemaService schemaService, ViewConfigurationService views)
{
    public async Task<ImportPlan> PlanAsync(string json, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stored = await db.Set<ViewItem>().AsNoTracking().ToListAsync(cancellationToken);
        return (await PlanCoreAsync(json, stored, cancellationToken)).Plan;
    }

    /// <summary>Imports the whole file in one transaction, or nothing when any item is invalid; the plan says which.</summary>
    public async Task<ImportPlan> ImportAsync(string json, string? user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.Set<ViewItem>().AsNoTracking().ToListAsync(cancellationToken);
        var (plan, valid) = await PlanCoreAsync(json, stored, cancellationToken);
        if (!plan.CanImport)
        {
            return plan;
        }

        foreach (var (entry, item) in plan.Entries.Zip(valid).Where(p => p.First.Action is ImportAction.New or ImportAction.Replace))
        {
            var existing = stored.FirstOrDefault(i => i.Kind == item.Kind && i.ItemId == item.Id);
            views.Write(db, existing, item, "imported", user);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        views.RaiseChanged();
        return plan;
    }

    /// <summary>The stored items (all, or those selected) in the importer's format.</summary>
    public async Task<string> ExportAsync(IReadOnlyCollection<(ViewKind Kind, string Id)>? selection = null, CancellationToken cancellationToken = default)
    {
        var items = await views.ListAsync(cancellationToken: cancellationToken);
        var file = new JsonObject();
        foreach (var kind in ViewKinds.All)
        {
            file[kind.FileKey()] = new JsonArray(items
                .Where(i => i.Kind == kind && (selection is null || selection.Contains((i.Kind, i.ItemId))))
                .OrderBy(i => i.ItemId, StringComparer.Ordinal)
                .Select(i => (JsonNode)ViewConfigurationService.Parse(i)).ToArray());
        }

        return ViewItemValidator.Serialize(file);
    }

    private async Task<(ImportPlan Plan, List<ValidItem> Valid)> PlanCoreAsync(string json, IReadOnlyList<ViewItem> stored, CancellationToken cancellationToken)
    {
        var (root, parseError) = ViewConfigurationService.ParseJson(json);
        if (parseError is not null)
        {
            return (new ImportPlan([], [parseError]), []);
        }

        var (items, fileErrors) = Items(root);
        var schema = await schemaService.GetAsync(cancellationToken);

        // Tiles and views may name filters from the same file.
        var filters = stored.Where(i => i.Kind == ViewKind.Filter).ToDictionary(i => i.ItemId, i => i.Limetype, StringComparer.Ordinal);
        foreach (var (kind, node, _) in items.Where(i => i.Kind == ViewKind.Filter))
        {
            if (node is JsonObject o && o["id"] is JsonValue id && id.TryGetValue<string>(out var filterId)
                && o["limetype"] is JsonValue lt && lt.TryGetValue<string>(out var limetype))
            {
                filters[filterId] = limetype;
            }
        }

        var entries = new List<ImportEntry>();
        var valid = new List<ValidItem>();
        var seen = new Dictionary<(ViewKind, string), string>();
        foreach (var (kind, node, path) in items)
        {
            var (item, errors) = ViewItemValidator.Validate(kind, node, path, schema, filters);
            var id = item?.Id ?? (node as JsonObject)?["id"]?.ToString() ?? "";
            var limetype = item?.Limetype ?? (node as JsonObject)?["limetype"]?.ToString() ?? "";
            if (item is not null && seen.TryGetValue((kind, item.Id), out var first))
            {
                errors = [new(path, $"the {kind.Label()} '{item.Id}' is in the file twice (also at {first}); keep one.")];
                item = null;
            }

            if (item is null)
            {
                entries.Add(new(kind, id, limetype, path, ImportAction.Invalid, [], errors));
                continue;
            }

            seen[(kind, item.Id)] = path;
            valid.Add(item);
            var existing = stored.FirstOrDefault(i => i.Kind == kind && i.ItemId == item.Id);
            var action = existing is null ? ImportAction.New
                : JsonNode.DeepEquals(ViewConfigurationService.Parse(existing), item.Json) ? ImportAction.Unchanged
                : ImportAction.Replace;
            entries.Add(new(kind, item.Id, item.Limetype, path, action, action == ImportAction.Replace ? Diff(existing!.Json, item.Text) : [], []));
        }

        var paths = entries.Where(e => e.Action != ImportAction.Invalid).ToDictionary(e => (e.Kind, e.Id), e => e.Path);
        var broken = ViewReferences.Broken(stored, valid, v => paths[(v.Kind, v.Id)]);
        return (new ImportPlan(entries, [.. fileErrors, .. broken]), valid);
    }

    /// <summary>The items of a file with their kind and JSON path, and what in the file's shape is wrong.</summary>
    private static (List<(ViewKind Kind, JsonNode? Node, string Path)> Items, List<ConfigurationError> Errors) Items(JsonNode? root)
    {
        var items = new List<(ViewKind, JsonNode?, string)>();
        var errors = new List<ConfigurationError>();
        void AddArray(JsonArray array, string prefix, ViewKind? kind)
        {
            for (var i = 0; i < array.Count; i++)
            {
                var path = $"{prefix}[{i}]";
                if ((kind ?? ViewItemValidator.Detect(array[i])) is { } k)
                {
                    items.Add((k, array[i], path));
                }
                else
                {
                    errors.Add(new(path, "this is not a filter (id, limetype, name, filter), an info tile (name, limetype, filter, type) or a table view (limetype, columns)."));
                }
            }
        }

        switch (root)
        {
            case JsonArray array:
                AddArray(array, "", null);
                break;
            case JsonObject single when ViewItemValidator.Detect(single) is { } kind:
                items.Add((kind, single, ""));
                break;
            case JsonObject file:
                foreach (var (key, value) in file)
                {
                    if (ViewKinds.FromFileKey(key) is not { } kind)
                    {
                        errors.Add(new(key, $"'{key}' is not part of a configuration file; use \"filters\", \"infoTiles\" and \"tableViews\"."));
                    }
                    else if (value is not JsonArray array)
                    {
                        errors.Add(new(key, $"\"{key}\" is an array [...]."));
                    }
                    else
                    {
                        AddArray(array, key, kind);
                    }
                }

                break;
            default:
                errors.Add(new("(root)", "a configuration file is an array of filters, info tiles or table views, or {\"filters\": [...], \"infoTiles\": [...], \"tableViews\": [...]}."));
                break;
        }

        if (errors.Count == 0 && items.Count == 0)
        {
            errors.Add(new("(root)", "the file holds no filters, info tiles or table views."));
        }

        return (items, errors);
    }

    private static List<DiffLine> Diff(string before, string after) =>
        InlineDiffBuilder.Diff(before, after).Lines.Select(l => new DiffLine(
            l.Type switch { ChangeType.Inserted => '+', ChangeType.Deleted => '-', _ => ' ' }, l.Text)).ToList();
}
