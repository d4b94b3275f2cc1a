using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>One unit of work on objects: a DbContext and its transaction. Dispose without commit rolls back.</summary>
public sealed class ObjectSession : IAsyncDisposable
{
    private readonly AppDbContext db;
    private readonly TimeProvider timeProvider;
    private readonly string? actor;

    internal ObjectSession(AppDbContext db, CrmSchema schema, TimeProvider timeProvider, string? actor)
    {
        this.db = db;
        Schema = schema;
        this.timeProvider = timeProvider;
        this.actor = actor;
    }

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

        await using var command = NewCommand();
        var names = columns.Keys.ToList();
        command.CommandText =
            $"INSERT INTO {SqlDialect.Quote(lt.Table)} ({string.Join(", ", names.Select(SqlDialect.Quote))}) " +
            $"VALUES ({string.Join(", ", names.Select((_, i) => "@v" + i.ToString(CultureInfo.InvariantCulture)))}) RETURNING \"id\"";
        for (var i = 0; i < names.Count; i++)
        {
            AddParameter(command, "@v" + i.ToString(CultureInfo.InvariantCulture), columns[names[i]]);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task UpdateAsync(string limetype, long id, IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Get(limetype);
        var columns = await ValidateAsync(lt, values, creating: false, cancellationToken);
        columns["_updated"] = SqlDialect.FormatTime(timeProvider.GetUtcNow().UtcDateTime);
        columns["_updatedby"] = actor;

        await using var command = NewCommand();
        var names = columns.Keys.ToList();
        command.CommandText =
            $"UPDATE {SqlDialect.Quote(lt.Table)} SET {string.Join(", ", names.Select((n, i) => $"{SqlDialect.Quote(n)} = @v{i}"))} WHERE \"id\" = @id";
        for (var i = 0; i < names.Count; i++)
        {
            AddParameter(command, "@v" + i.ToString(CultureInfo.InvariantCulture), columns[names[i]]);
        }

        AddParameter(command, "@id", id);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new CrmException($"There is no {lt.Label.ToLowerInvariant()} with id {id}.");
        }
    }

    public async Task<bool> DeleteAsync(string limetype, long id, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Get(limetype);
        await using var command = NewCommand();
        command.CommandText = $"DELETE FROM {SqlDialect.Quote(lt.Table)} WHERE \"id\" = @id";
        AddParameter(command, "@id", id);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<LimeObject?> GetAsync(string limetype, long id, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(new LimeQuery(limetype)
        {
            Filter = new JsonObject { ["key"] = CrmSchema.IdKey, ["op"] = "=", ["exp"] = id },
            Limit = 1,
        }, QueryContext.Anonymous, cancellationToken);
        return rows.Count == 0 ? null : ToObject(limetype, rows[0]);
    }

    /// <summary>Objects whose property equals a value, most recently updated first (an index seek when the property is indexed).</summary>
    public async Task<IReadOnlyList<LimeObject>> FindAsync(
        string limetype, string property, object? value, int limit = 50, CancellationToken cancellationToken = default)
    {
        var rows = await QueryAsync(FindQuery(limetype, property, value, limit), QueryContext.Anonymous, cancellationToken);
        return rows.Select(r => ToObject(limetype, r)).ToList();
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
        var (command, select, aggregates) = PrepareQuery(query, context);
        await using var _ = command;
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
        var (command, _, _) = PrepareQuery(query, context);
        await using var _ = command;
        command.CommandText = SqlDialect.ExplainPrefix + command.CommandText;
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            plan.Add(reader.GetString(reader.FieldCount - 1));
        }

        return plan;
    }

    private (DbCommand Command, List<(string Sql, string Key, PropertyType Type)> Select, List<(string Sql, PropertyType Type)> Aggregates) PrepareQuery(
        LimeQuery query, QueryContext context)
    {
        var lt = Schema.Find(query.Limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{query.Limetype}'.");
        if (query.Limit is < 1 or > 10_000 || query.Offset < 0)
        {
            throw new QueryException("limit", "The page size must be between 1 and 10000, and the offset 0 or more.");
        }

        var translator = new SqlTranslator(Schema, context);
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
        var where = translator.Where(query.Filter, lt);
        var order = translator.OrderBy(query.Order, lt, query.Aggregates.Select(a => a.Key).ToHashSet(StringComparer.Ordinal));

        var sqlText = new StringBuilder("SELECT ")
            .AppendJoin(", ", select.Select((s, i) => $"{s.Sql} AS c{i}").Concat(aggregates.Select(a => a.Sql)))
            .Append(CultureInfo.InvariantCulture, $" FROM {SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias} WHERE {where} ORDER BY {order}")
            .Append(CultureInfo.InvariantCulture, $" LIMIT {query.Limit} OFFSET {query.Offset}")
            .ToString();

        var command = NewCommand();
        command.CommandText = sqlText;
        foreach (var (name, value) in translator.Parameters)
        {
            AddParameter(command, name, value);
        }

        return (command, select, aggregates);
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
    public Task SavepointAsync(string name, CancellationToken cancellationToken = default) =>
        db.Database.CurrentTransaction!.CreateSavepointAsync(name, cancellationToken);

    public async Task RollbackToSavepointAsync(string name, CancellationToken cancellationToken = default)
    {
        await db.Database.CurrentTransaction!.RollbackToSavepointAsync(name, cancellationToken);
        db.ChangeTracker.Clear();
    }

    public Task ReleaseSavepointAsync(string name, CancellationToken cancellationToken = default) =>
        db.Database.CurrentTransaction!.ReleaseSavepointAsync(name, cancellationToken);

    public Task CommitAsync(CancellationToken cancellationToken = default) =>
        db.Database.CurrentTransaction!.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync() => await db.DisposeAsync();

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
        await using var command = NewCommand();
        command.CommandText = $"SELECT 1 FROM {SqlDialect.Quote(lt.Table)} WHERE \"id\" = @id";
        AddParameter(command, "@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

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

    private static LimeObject ToObject(string limetype, IReadOnlyDictionary<string, object?> row) =>
        new(limetype, (long)row[CrmSchema.IdKey]!, row);
}
