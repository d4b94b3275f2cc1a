using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>Reading objects: a query becomes one SQL statement, its shape prepared once per schema.</summary>
public sealed partial class ObjectSession
{
    public async Task<IReadOnlyList<LimeRow>> QueryAsync(
        LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        var (sql, parameters, select, aggregates) = PrepareQuery(query, context);
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var result = new List<LimeRow>();
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

            result.Add(new LimeRow(row));
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
                .Append(CultureInfo.InvariantCulture, $"\n{query.Limit}\n{query.Offset}\n")
                .AppendJoin(',', query.Properties ?? ["*"])
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
        foreach (var name in query.Properties ?? [])
        {
            if (lt.Find(name) is not { } property || !property.Type.IsStored())
            {
                throw new QueryException("properties", $"'{lt.Name}' has no stored property '{name}'.");
            }
        }

        select.AddRange(lt.Ordered.Where(p => p.Type.IsStored() && (query.Properties is null || query.Properties.Contains(p.Name, StringComparer.Ordinal)))
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

    /// <summary>How many objects a query matches, its message match included; paging is ignored.</summary>
    public async Task<long> CountAsync(LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Find(query.Limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{query.Limetype}'.");
        var translator = new SqlTranslator(Schema, context);
        var where = translator.Where(query, lt);
        await using var command = NewCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias} WHERE {where}";
        foreach (var (name, value) in translator.Parameters)
        {
            AddParameter(command, name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
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
