using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>One unit of work on objects: a DbContext and its transaction. Dispose without commit rolls back.</summary>
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
    private readonly Dictionary<string, int> savepoints = new(StringComparer.Ordinal);
    private readonly ChangeFeed? feed;

    internal ObjectSession(AppDbContext db, CrmSchema schema, TimeProvider timeProvider, string? actor, ChangeFeed? feed)
    {
        this.db = db;
        Schema = schema;
        this.timeProvider = timeProvider;
        this.actor = actor;
        this.feed = feed;
    }

    /// <summary>Records a change written outside the object methods (for example with <see cref="Db"/>), so it is published on commit.</summary>
    public void Touch(string limetype, long id, ChangeKind kind = ChangeKind.Updated) => changes.Add(new RecordChange(limetype, id, kind));

    public CrmSchema Schema { get; }

    /// <summary>The DbContext of this session, for writing other records in the same transaction.</summary>
    public AppDbContext Db => db;

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

    public async Task<LimeObject?> GetAsync(string limetype, long id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(new LimeQuery(limetype)
        {
            Filter = new JsonObject { ["key"] = CrmSchema.IdKey, ["op"] = "=", ["exp"] = id },
            Limit = 1,
        }, QueryContext.Anonymous, cancellationToken);
        return rows.Count == 0 ? null : Known(ToObject(limetype, rows[0]));
    }

    /// <summary>Objects whose property equals a value, most recently updated first (an index seek when the property is indexed).</summary>
    public async Task<IReadOnlyList<LimeObject>> FindAsync(
        string limetype, string property, object? value, int limit = 50, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(FindQuery(limetype, property, value, limit), QueryContext.Anonymous, cancellationToken);
        return rows.Select(r => Known(ToObject(limetype, r))).ToList();
    }

    internal static LimeQuery FindQuery(string limetype, string property, object? value, int limit) => new(limetype)
    {
        Filter = new JsonObject { ["key"] = property, ["op"] = "=", ["exp"] = JsonValue(value) },
        Order = [new OrderBy(CrmSchema.UpdatedKey, Descending: true)],
        Limit = limit,
    };

    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(
        LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        var (sql, parameters, select, aggregates) = PrepareQuery(query, context);
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var result = new List<IReadOnlyDictionary<string, object?>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < select.Count; i++)
            {
                row[select[i].Key] = ValueConverter.FromDatabase(select[i].Type, reader.GetValue(i));
            }

            for (var i = 0; i < query.Aggregates.Count; i++)
            {
                var raw = reader.GetValue(select.Count + i);
                row[query.Aggregates[i].Key] = raw is DBNull ? null : ValueConverter.FromDatabase(aggregates[i].Type, raw);
            }

            result.Add(row);
        }

        return result;
    }

    /// <summary>The database's plan for the statement a query becomes, one line per step.</summary>
    internal async Task<IReadOnlyList<string>> ExplainAsync(LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        var (sql, parameters, _, _) = PrepareQuery(query, context);
        await using var command = NewCommand();
        command.CommandText = SqlDialect.ExplainPrefix + sql;
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.Add(reader.GetString(reader.FieldCount - 1));
        }

        return plan;
    }

    /// <summary>The statement text and select list of a query shape, built once per schema.</summary>
    private sealed record SelectShape(string Sql, List<(string Sql, string Key, PropertyType Type)> Select, List<(string Sql, PropertyType Type)> Aggregates);

    // Note: keyed by the WHERE text, which holds parameter names and never values, so the shapes stay few.
    private static readonly ConditionalWeakTable<CrmSchema, ConcurrentDictionary<string, SelectShape>> Shapes = new();

    private const int MaxShapes = 2000;

    private (string Sql, IReadOnlyList<KeyValuePair<string, object?>> Parameters, List<(string Sql, string Key, PropertyType Type)> Select, List<(string Sql, PropertyType Type)> Aggregates) PrepareQuery(
        LimeQuery query, QueryContext context)
    {
        var lt = Schema.Find(query.Limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{query.Limetype}'.");
        if (query.Limit is < 1 or > 10_000 || query.Offset < 0)
        {
            throw new QueryException("limit", "The page size must be between 1 and 10000, and the offset 0 or more.");
        }

        var translator = new SqlTranslator(Schema, context);
        var where = translator.Where(query, lt);
        string? key = null;
        var shapes = Shapes.GetValue(Schema, _ => new ConcurrentDictionary<string, SelectShape>(StringComparer.Ordinal));
        if (query.Columns.Count == 0 && query.Aggregates.Count == 0)
        {
            key = new StringBuilder(lt.Name).Append('\n').Append(where).Append('\n')
                .AppendJoin(',', query.Order.Select(o => (o.Descending ? "-" : "+") + o.Key))
                .Append(CultureInfo.InvariantCulture, $"\n{query.Limit}\n{query.Offset}")
                .ToString();
            if (shapes.TryGetValue(key, out var cached))
            {
                return (cached.Sql, translator.Parameters, cached.Select, cached.Aggregates);
            }
        }

        var select = new List<(string Sql, string Key, PropertyType Type)>
        {
            ($"{SqlTranslator.RootAlias}.\"id\"", CrmSchema.IdKey, PropertyType.Integer),
            ($"{SqlTranslator.RootAlias}.\"_created\"", CrmSchema.CreatedKey, PropertyType.Time),
            ($"{SqlTranslator.RootAlias}.\"_updated\"", CrmSchema.UpdatedKey, PropertyType.Time),
            ($"{SqlTranslator.RootAlias}.\"_updatedby\"", CrmSchema.UpdatedByKey, PropertyType.Text),
        };
        select.AddRange(lt.Ordered.Where(p => p.Type.IsStored())
            .Select(p => ($"{SqlTranslator.RootAlias}.{SqlDialect.Quote(p.Column!)}", p.Name, p.Type)));
        for (var i = 0; i < query.Columns.Count; i++)
        {
            var (sql, type) = translator.Scalar(query.Columns[i].Split('.'), 0, lt, SqlTranslator.RootAlias, $"columns[{i}]");
            select.Add((sql, query.Columns[i], type));
        }

        var aggregates = query.Aggregates.Select((a, i) => translator.AggregateColumn(a, lt, i)).ToList();
        var order = translator.OrderBy(query.Order, lt, ByKey(query.Aggregates, (a, _) => SqlTranslator.AggregateName(a)));
        var from = $"{SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias}";
        var page = $" LIMIT {query.Limit.ToString(CultureInfo.InvariantCulture)} OFFSET {query.Offset.ToString(CultureInfo.InvariantCulture)}";
        var sqlText = new StringBuilder("SELECT ")
            .AppendJoin(", ", select.Select((s, i) => $"{s.Sql} AS c{i}").Concat(aggregates.Select((a, i) => $"{a.Sql} AS {SqlTranslator.AggregateName(query.Aggregates[i])}")))
            .Append(" FROM ").Append(from);
        if (query.Columns.Count == 0 && query.Aggregates.Count == 0)
        {
            sqlText.Append(CultureInfo.InvariantCulture, $" WHERE {where} ORDER BY {order}{page}");
        }
        else
        {
            // Note: SQLite computes the select list of every matching row before it sorts, so the
            // related columns and aggregates would be computed for all of them to keep one page;
            // the page's ids are chosen first and only their rows computed.
            var pageOrder = translator.OrderBy(query.Order, lt, ByKey(query.Aggregates, (_, i) => aggregates[i].Sql));
            sqlText.Append(CultureInfo.InvariantCulture,
                $" WHERE {SqlTranslator.RootAlias}.\"id\" IN (SELECT {SqlTranslator.RootAlias}.\"id\" FROM {from} WHERE {where} ORDER BY {pageOrder}{page}) ORDER BY {order}");
        }

        if (key is not null && shapes.Count < MaxShapes)
        {
            shapes.TryAdd(key, new SelectShape(sqlText.ToString(), select, aggregates));
        }

        return (sqlText.ToString(), translator.Parameters, select, aggregates);
    }

    /// <summary>The SQL an ordering by an aggregate's key sorts by; the first aggregate of a key wins.</summary>
    private static Dictionary<string, string> ByKey(IReadOnlyList<Aggregate> aggregates, Func<Aggregate, int, string> sql)
    {
        var byKey = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < aggregates.Count; i++)
        {
            byKey.TryAdd(aggregates[i].Key, sql(aggregates[i], i));
        }

        return byKey;
    }

    public async Task<long> CountAsync(string limetype, JsonNode? filter, QueryContext context, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Find(limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{limetype}'.");
        var translator = new SqlTranslator(Schema, context);
        var where = translator.Where(filter, lt);
        await using var command = NewCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias} WHERE {where}";
        foreach (var (name, value) in translator.Parameters)
        {
            AddParameter(command, name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Marks a point inside the transaction to roll back to, so one failed piece of work does not undo the others.</summary>
    public Task SavepointAsync(string name, CancellationToken cancellationToken = default)
    {
        savepoints[name] = changes.Count;
        return Command($"SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken = default)
    {
        await Command($"ROLLBACK TO SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);
        db.ChangeTracker.Clear();
        existing.Clear();
        if (savepoints.TryGetValue(name, out var count) && count <= changes.Count)
        {
            changes.RemoveRange(count, changes.Count - count);
        }
    }

    public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken = default) =>
        Command($"RELEASE SAVEPOINT {SavepointName(name)}").ExecuteNonQueryAsync(cancellationToken);

    // Note: savepoints run as the session's own prepared statements (EF's savepoint API prepares one each time);
    // the transaction is EF's, so it still commits or rolls back as a whole.
    private static string SavepointName(string name) =>
        CrmSchema.IsValidName(name) ? SqlDialect.Quote(name) : throw new ArgumentException($"'{name}' is not a valid savepoint name.", nameof(name));

    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        await (db.Database.CurrentTransaction ?? throw new InvalidOperationException("A session for reading only has nothing to commit."))
            .CommitAsync(cancellationToken);
        if (changes.Count > 0)
        {
            var batch = new ChangeBatch(changes.ToList(), actor);
            changes.Clear();
            feed?.Publish(batch);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in commands.Values)
        {
            await command.DisposeAsync();
        }

        commands.Clear();
        await db.DisposeAsync();
    }

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

    /// <summary>The session's command for this statement text, its parameters cleared for binding.</summary>
    private DbCommand Command(string sql)
    {
        if (commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        // A session running many shapes (an admin's ad-hoc queries) starts over rather than keep them all.
        if (commands.Count >= MaxCommands)
        {
            foreach (var old in commands.Values)
            {
                old.Dispose();
            }

            commands.Clear();
        }

        command = NewCommand();
        command.CommandText = sql;
        commands[sql] = command;
        return command;
    }

    private const int MaxCommands = 64;

    private static string ParameterName(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);

    private DbCommand NewCommand()
    {
        var connection = db.Database.GetDbConnection();
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static JsonValue? JsonValue(object? value) => value switch
    {
        null => null,
        string s => System.Text.Json.Nodes.JsonValue.Create(s),
        long l => System.Text.Json.Nodes.JsonValue.Create(l),
        int i => System.Text.Json.Nodes.JsonValue.Create(i),
        bool b => System.Text.Json.Nodes.JsonValue.Create(b),
        double d => System.Text.Json.Nodes.JsonValue.Create(d),
        DateTime dt => System.Text.Json.Nodes.JsonValue.Create(SqlDialect.FormatTime(dt)),
        _ => System.Text.Json.Nodes.JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private LimeObject Known(LimeObject row)
    {
        existing.Add((Schema.Get(row.Limetype).Table, row.Id));
        return row;
    }

    private static LimeObject ToObject(string limetype, IReadOnlyDictionary<string, object?> row) =>
        new(limetype, (long)row[CrmSchema.IdKey]!, row);

    /// <summary>The total of a number property (a belongs-to path may lead to it) over the objects a filter matches; 0 when none.</summary>
    public async Task<double> SumAsync(string limetype, JsonNode? filter, string property, QueryContext context, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Find(limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{limetype}'.");
        var translator = new SqlTranslator(Schema, context);
        var where = translator.Where(filter, lt);
        var (value, type) = translator.Scalar(property.Split('.'), 0, lt, SqlTranslator.RootAlias, "property");
        if (type is not (PropertyType.Integer or PropertyType.Decimal))
        {
            throw new QueryException("property", $"'{property}' is not a number.");
        }

        await using var command = NewCommand();
        command.CommandText = $"SELECT TOTAL({value}) FROM {SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias} WHERE {where}";
        foreach (var (name, parameter) in translator.Parameters)
        {
            AddParameter(command, name, parameter);
        }

        return Convert.ToDouble(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
