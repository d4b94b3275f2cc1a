using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Views;

/// <summary>
/// Filters, info tiles and table views stored as JSON with a version history. Every save is checked
/// against the schema and the filters the item names; a filter that a tile or view uses cannot be deleted.
/// </summary>
public sealed class ViewConfigurationService(
    IDbContextFactory<AppDbContext> dbFactory, SchemaService schemaService, ObjectStore store, TimeProvider clock)
{
    /// <summary>Raised after any change, so open lists and tiles re-read.</summary>
    public event Action? Changed;

    public async Task<IReadOnlyList<ViewItem>> ListAsync(ViewKind? kind = null, string? limetype = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<ViewItem>().AsNoTracking();
        if (kind is { } k)
        {
            query = query.Where(i => i.Kind == k);
        }

        if (limetype is not null)
        {
            query = query.Where(i => i.Limetype == limetype);
        }

        return (await query.ToListAsync(cancellationToken)).OrderBy(i => i.Limetype, StringComparer.Ordinal).ThenBy(i => i.ItemId, StringComparer.Ordinal).ToList();
    }

    public async Task<ViewItem?> GetAsync(ViewKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ViewItem>().AsNoTracking().FirstOrDefaultAsync(i => i.Kind == kind && i.ItemId == id, cancellationToken);
    }

    /// <summary>Validates and stores one item. With <paramref name="expectedId"/> (an edit) the id may not change.</summary>
    public async Task<ViewSaveResult> SaveAsync(ViewKind kind, string json, string? expectedId, string? user, CancellationToken cancellationToken = default)
    {
        var (node, parseError) = ParseJson(json);
        if (parseError is not null)
        {
            return new(null, [parseError]);
        }

        return await SaveNodeAsync(kind, node, expectedId, expectedId is null ? "created" : "updated", user, cancellationToken);
    }

    private async Task<ViewSaveResult> SaveNodeAsync(ViewKind kind, JsonNode? node, string? expectedId, string change, string? user, CancellationToken cancellationToken)
    {
        var schema = await schemaService.GetAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.Set<ViewItem>().ToListAsync(cancellationToken);
        var filters = stored.Where(i => i.Kind == ViewKind.Filter).ToDictionary(i => i.ItemId, i => i.Limetype, StringComparer.Ordinal);
        if (kind == ViewKind.Filter && node is JsonObject o && o["id"]?.GetValueKind() == System.Text.Json.JsonValueKind.String && o["limetype"]?.GetValueKind() == System.Text.Json.JsonValueKind.String)
        {
            filters[o["id"]!.GetValue<string>()] = o["limetype"]!.GetValue<string>();
        }

        var (item, errors) = ViewItemValidator.Validate(kind, node, "", schema, filters);
        if (item is null)
        {
            return new(null, errors);
        }

        if (expectedId is not null && item.Id != expectedId)
        {
            return new(null, [new("id", $"the id cannot change on an edit; keep \"{expectedId}\", or create a new {kind.Label()} with the new id.")]);
        }

        var existing = stored.FirstOrDefault(i => i.Kind == kind && i.ItemId == item.Id);
        if (expectedId is null && existing is not null && change == "created")
        {
            return new(null, [new("id", $"a {kind.Label()} with the id '{item.Id}' exists already; choose another id or edit that one.")]);
        }

        var conflicts = ViewReferences.Broken(stored, [item]);
        if (conflicts.Count > 0)
        {
            return new(null, conflicts);
        }

        var saved = Write(db, existing, item, change, user);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return new(saved, []);
    }

    /// <summary>Writes an item and its version row to the context (not saved).</summary>
    internal ViewItem Write(AppDbContext db, ViewItem? existing, ValidItem item, string change, string? user)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (existing is null)
        {
            existing = new ViewItem { Kind = item.Kind, ItemId = item.Id };
            db.Add(existing);
        }
        else
        {
            db.Attach(existing);
        }

        existing.Limetype = item.Limetype;
        existing.Json = item.Text;
        existing.Version++;
        existing.UpdatedUtc = now;
        existing.UpdatedBy = user;
        db.Add(new ViewItemVersion { Kind = item.Kind, ItemId = item.Id, Version = existing.Version, Json = existing.Json, Change = change, Utc = now, By = user });
        return existing;
    }

    internal void RaiseChanged() => Changed?.Invoke();

    /// <summary>Deletes an item; refused (with who uses it) while a tile or view names the filter.</summary>
    public async Task<string?> DeleteAsync(ViewKind kind, string id, string? user, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var stored = await db.Set<ViewItem>().ToListAsync(cancellationToken);
        var item = stored.FirstOrDefault(i => i.Kind == kind && i.ItemId == id);
        if (item is null)
        {
            return $"There is no {kind.Label()} '{id}'; it may have been deleted already.";
        }

        if (kind == ViewKind.Filter && ViewReferences.UsersOf(stored, id) is { Count: > 0 } users)
        {
            return $"The filter '{id}' is used by {string.Join(", ", users)}. Change or delete those first.";
        }

        db.Remove(item);
        db.Add(new ViewItemVersion
        {
            Kind = kind,
            ItemId = id,
            Version = item.Version + 1,
            Json = null,
            Change = "deleted",
            Utc = clock.GetUtcNow().UtcDateTime,
            By = user,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Changed?.Invoke();
        return null;
    }

    /// <summary>Every version of an item, newest first (deletions included).</summary>
    public async Task<IReadOnlyList<ViewItemVersion>> HistoryAsync(ViewKind kind, string id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<ViewItemVersion>().AsNoTracking().Where(v => v.Kind == kind && v.ItemId == id)
            .OrderByDescending(v => v.Version).ToListAsync(cancellationToken);
    }

    /// <summary>Stores an earlier version again as the newest, checked against today's schema like any save.</summary>
    public async Task<ViewSaveResult> RestoreAsync(ViewKind kind, string id, int version, string? user, CancellationToken cancellationToken = default)
    {
        var history = await HistoryAsync(kind, id, cancellationToken);
        var old = history.FirstOrDefault(v => v.Version == version && v.Json is not null);
        if (old is null)
        {
            return new(null, [new("version", $"there is no version {version} of '{id}' to restore.")]);
        }

        return await SaveNodeAsync(kind, JsonNode.Parse(old.Json!), expectedId: null, "restored", user, cancellationToken);
    }

    public async Task<IReadOnlyList<SavedFilter>> FiltersAsync(string? limetype = null, CancellationToken cancellationToken = default) =>
        (await ListAsync(ViewKind.Filter, limetype, cancellationToken)).Select(i => ViewItemValidator.ToFilter(Parse(i))).ToList();

    public async Task<IReadOnlyList<InfoTile>> TilesAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync(ViewKind.InfoTile, null, cancellationToken)).Select(i => ViewItemValidator.ToTile(Parse(i))).ToList();

    /// <summary>The stored table view of a limetype, else a default: its first properties and, for a conversation parent, the 📫 column.</summary>
    public async Task<TableView> TableViewAsync(string limetype, CancellationToken cancellationToken = default)
    {
        var stored = await GetAsync(ViewKind.TableView, limetype, cancellationToken);
        if (stored is not null)
        {
            return ViewItemValidator.ToView(Parse(stored));
        }

        var schema = await schemaService.GetAsync(cancellationToken);
        return DefaultViews.For(schema, schema.Get(limetype));
    }

    /// <summary>How many objects a filter matches, and the first ones, as the given user sees them.</summary>
    public async Task<(long Count, IReadOnlyList<IReadOnlyDictionary<string, object?>> First)> PreviewAsync(
        string limetype, JsonNode? filter, QueryContext context, int take = 10, CancellationToken cancellationToken = default)
    {
        var count = await store.CountAsync(limetype, filter, context, cancellationToken);
        var first = await store.QueryAsync(new LimeQuery(limetype)
        {
            Filter = filter,
            Order = [new OrderBy(CrmSchema.CreatedKey, Descending: true)],
            Limit = take,
        }, context, cancellationToken);
        return (count, first);
    }

    /// <summary>A tile's value for a user: the count or the sum over its filter's objects.</summary>
    public async Task<double> TileValueAsync(InfoTile tile, QueryContext context, CancellationToken cancellationToken = default)
    {
        var filter = (tile.Filter is null ? null : await GetAsync(ViewKind.Filter, tile.Filter, cancellationToken))
            ?? throw new CrmException($"The tile's filter '{tile.Filter}' does not exist.");
        var expression = Parse(filter)["filter"];
        return tile.Type == "SUM" && tile.Property is { } property
            ? await store.SumAsync(tile.Limetype, expression, property, context, cancellationToken)
            : await store.CountAsync(tile.Limetype, expression, context, cancellationToken);
    }

    /// <summary>Every tile's value for a user; a tile whose filter no longer runs gets its error instead, and the others still count.</summary>
    public async Task<IReadOnlyDictionary<string, (double? Value, string? Error)>> TileValuesAsync(
        IEnumerable<InfoTile> tiles, QueryContext context, CancellationToken cancellationToken = default)
    {
        var values = new Dictionary<string, (double?, string?)>(StringComparer.Ordinal);
        foreach (var tile in tiles)
        {
            try
            {
                values[tile.Id] = (await TileValueAsync(tile, context, cancellationToken), null);
            }
            catch (Exception ex) when (ex is QueryException or CrmException)
            {
                values[tile.Id] = (null, ex.Message);
            }
        }

        return values;
    }

    public static JsonObject Parse(ViewItem item) => (JsonObject)JsonNode.Parse(item.Json)!;

    internal static (JsonNode? Node, ConfigurationError? Error) ParseJson(string json)
    {
        try
        {
            return (JsonNode.Parse(json, documentOptions: new() { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip }), null);
        }
        catch (System.Text.Json.JsonException ex)
        {
            var line = ex.LineNumber is { } l ? $"line {l + 1}, " : "";
            var position = ex.BytePositionInLine is { } b ? $"column {b + 1}" : "";
            return (null, new("(root)", $"this is not valid JSON ({line}{position}): check commas, quotes and brackets there."));
        }
    }
}
