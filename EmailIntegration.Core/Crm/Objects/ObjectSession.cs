using System.Data.Common;
using System.Globalization;
using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// One unit of work on objects: a DbContext and its transaction. Dispose without commit rolls back.
/// The DbContext stays inside: what else a feature writes in the same transaction goes through
/// the session's methods (see <c>ObjectSession.Records.cs</c>), so the session sees every write.
/// </summary>
public sealed partial class ObjectSession : IAsyncDisposable
{
    private readonly AppDbContext db;
    private readonly TimeProvider timeProvider;
    private readonly string? actor;

    // Note: Microsoft.Data.Sqlite keeps a command's prepared statement while its text stays the
    // same, so a command per statement shape is prepared once per session and only re-bound.
    private readonly Dictionary<string, DbCommand> commands = new(StringComparer.Ordinal);

    // Rows known to exist in this transaction (created or checked here), so a relation to them
    // needs no lookup. Safe while the session holds the write lock; cleared on a rollback to a savepoint.
    private readonly HashSet<(string Table, long Id)> existing = [];

    // What this transaction changed, published on the change feed once it commits; a rollback to a
    // savepoint forgets what came after the savepoint.
    private readonly List<RecordChange> changes = [];
    private readonly Dictionary<string, (int Changes, int Deferred)> savepoints = new(StringComparer.Ordinal);

    // Statements that run just before the commit (see ExecuteAtCommit), in order.
    private readonly List<(string Sql, IReadOnlyList<(string Name, object? Value)> Parameters)> deferred = [];
    private readonly ChangeFeed? feed;
    private Action? disposed;

    internal ObjectSession(AppDbContext db, CrmSchema schema, TimeProvider timeProvider, string? actor, ChangeFeed? feed)
    {
        this.db = db;
        Schema = schema;
        this.timeProvider = timeProvider;
        this.actor = actor;
        this.feed = feed;
    }

    /// <summary>Records a change written outside the object methods (for example with <see cref="ExecuteAsync"/>), so it is published on commit.</summary>
    public void Touch(string limetype, long id, ChangeKind kind = ChangeKind.Updated) => changes.Add(new RecordChange(limetype, id, kind));

    public CrmSchema Schema { get; }

    public async Task<long> CreateAsync(string limetype, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Get(limetype);
        var columns = await ValidateAsync(lt, values, creating: true, cancellationToken);
        var now = SqlDialect.FormatTime(timeProvider.GetUtcNow().UtcDateTime);
        columns["_created"] = now;
        columns["_updated"] = now;
        columns["_updatedby"] = actor;

        var names = columns.Keys.ToList();
        var command = Command(
            $"INSERT INTO {SqlDialect.Quote(lt.Table)} ({string.Join(", ", names.Select(SqlDialect.Quote))}) " +
            $"VALUES ({string.Join(", ", names.Select((_, i) => ParameterName("@v", i)))}) RETURNING \"id\"");
        for (var i = 0; i < names.Count; i++)
        {
            AddParameter(command, ParameterName("@v", i), columns[names[i]]);
        }

        var id = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        existing.Add((lt.Table, id));
        changes.Add(new RecordChange(lt.Name, id, ChangeKind.Created));
        return id;
    }

    public async Task UpdateAsync(string limetype, long id, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Get(limetype);
        var columns = await ValidateAsync(lt, values, creating: false, cancellationToken);
        columns["_updated"] = SqlDialect.FormatTime(timeProvider.GetUtcNow().UtcDateTime);
        columns["_updatedby"] = actor;

        var names = columns.Keys.ToList();
        var command = Command(
            $"UPDATE {SqlDialect.Quote(lt.Table)} SET {string.Join(", ", names.Select((n, i) => $"{SqlDialect.Quote(n)} = {ParameterName("@v", i)}"))} WHERE \"id\" = @id");
        for (var i = 0; i < names.Count; i++)
        {
            AddParameter(command, ParameterName("@v", i), columns[names[i]]);
        }

        AddParameter(command, "@id", id);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new CrmException($"There is no {lt.Label.ToLowerInvariant()} with id {id}.");
        }

        changes.Add(new RecordChange(lt.Name, id, ChangeKind.Updated));
    }

    public async Task<bool> DeleteAsync(string limetype, long id, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Get(limetype);
        var command = Command($"DELETE FROM {SqlDialect.Quote(lt.Table)} WHERE \"id\" = @id");
        AddParameter(command, "@id", id);
        existing.Remove((lt.Table, id));
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken) > 0;
        if (deleted)
        {
            changes.Add(new RecordChange(lt.Name, id, ChangeKind.Deleted));
        }

        return deleted;
    }

    public Task<LimeObject?> GetAsync(string limetype, long id, CancellationToken cancellationToken = default) =>
        GetAsync(limetype, id, null, cancellationToken);

    /// <param name="properties">The stored properties to read (see <see cref="LimeQuery.Properties"/>), or null for all.</param>
    public async Task<LimeObject?> GetAsync(string limetype, long id, IReadOnlyList<string>? properties, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(new LimeQuery(limetype)
        {
            Filter = Filter.Eq(CrmSchema.IdKey, id),
            Limit = 1,
            Properties = properties,
        }, QueryContext.Anonymous, cancellationToken);
        return rows.Count == 0 ? null : Known(ToObject(limetype, rows[0]));
    }

    /// <summary>Objects whose property equals a value, most recently updated first (an index seek when the property is indexed).</summary>
    public Task<IReadOnlyList<LimeObject>> FindAsync(
        string limetype, string property, object? value, int limit = 50, CancellationToken cancellationToken = default) =>
        FindAsync(limetype, property, value, limit, null, cancellationToken);

    /// <param name="properties">The stored properties to read (see <see cref="LimeQuery.Properties"/>), or null for all.</param>
    public async Task<IReadOnlyList<LimeObject>> FindAsync(
        string limetype, string property, object? value, int limit, IReadOnlyList<string>? properties, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(FindQuery(limetype, property, value, limit) with { Properties = properties }, QueryContext.Anonymous, cancellationToken);
        return rows.Select(r => Known(ToObject(limetype, r))).ToList();
    }

    internal static LimeQuery FindQuery(string limetype, string property, object? value, int limit) => new(limetype)
    {
        Filter = Filter.Eq(property, value),
        Order = [new OrderBy(CrmSchema.UpdatedKey, Descending: true)],
        Limit = limit,
    };

    private async Task<Dictionary<string, object?>> ValidateAsync(
        Limetype lt, IReadOnlyDictionary<string, object?> values, bool creating, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var columns = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            var property = lt.Find(name);
            if (property is null)
            {
                errors[name] = $"'{lt.Name}' has no property '{name}'.";
                continue;
            }

            var converted = ValueConverter.ToDatabase(property, value, out var error);
            if (error is not null)
            {
                errors[name] = error;
                continue;
            }

            if (property.Type == PropertyType.BelongsTo && converted is long targetId
                && !await ExistsAsync(Schema.Get(property.RelatedLimetype!), targetId, cancellationToken))
            {
                errors[name] = $"There is no {property.RelatedLimetype} with id {targetId}.";
                continue;
            }

            columns[property.Column!] = converted;
        }

        foreach (var required in lt.Ordered.Where(p => p.Required))
        {
            var given = columns.TryGetValue(required.Column!, out var v);
            if ((creating && !given) || (given && (v is null || v is string { Length: 0 })))
            {
                errors[required.Name] = $"{required.Label} is required.";
            }
        }

        return errors.Count == 0 ? columns : throw new ObjectValidationException(errors);
    }

    private async Task<bool> ExistsAsync(Limetype lt, long id, CancellationToken cancellationToken)
    {
        if (existing.Contains((lt.Table, id)))
        {
            return true;
        }

        var command = Command($"SELECT 1 FROM {SqlDialect.Quote(lt.Table)} WHERE \"id\" = @id");
        AddParameter(command, "@id", id);
        var found = await command.ExecuteScalarAsync(cancellationToken) is not null;
        if (found)
        {
            existing.Add((lt.Table, id));
        }

        return found;
    }

    private LimeObject Known(LimeObject row)
    {
        existing.Add((Schema.Get(row.Limetype).Table, row.Id));
        return row;
    }

    private static LimeObject ToObject(string limetype, LimeRow row) => new(limetype, row.Id, row);
}
