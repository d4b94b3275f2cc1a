using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// Translates the Lime filter language into one SQL statement. Every key is checked against the
/// schema and every value becomes a parameter, so neither can change the statement's shape.
/// Belongs-to paths are scalar subqueries (a missing relation reads as an empty value); has-many
/// paths are id sets, <c>id IN (SELECT owner FROM related WHERE ...)</c> (they match when any
/// related object does).
/// </summary>
internal sealed partial class SqlTranslator(CrmSchema schema, QueryContext context)
{
    public const string RootAlias = "t0";

    private readonly List<KeyValuePair<string, object?>> parameters = [];
    private int aliases;

    public IReadOnlyList<KeyValuePair<string, object?>> Parameters => parameters;

    /// <summary>The system columns' types, so they can be filtered and sorted like properties.</summary>
    private static readonly Dictionary<string, (string Column, PropertyType Type)> SystemColumns = new(StringComparer.Ordinal)
    {
        [CrmSchema.IdKey] = ("id", PropertyType.Integer),
        [CrmSchema.CreatedKey] = ("_created", PropertyType.Time),
        [CrmSchema.UpdatedKey] = ("_updated", PropertyType.Time),
        [CrmSchema.UpdatedByKey] = ("_updatedby", PropertyType.Text),
    };

    /// <summary>The column name an aggregate's value is selected as.</summary>
    public static string AggregateName(Aggregate aggregate) => SqlDialect.Quote("agg_" + aggregate.Key);

    /// <summary>The WHERE condition; a filter past <see cref="FilterBounds"/> is refused before any recursion.</summary>
    public string Where(JsonNode? filter, Limetype root)
    {
        FilterBounds.Check(filter, "filter");
        return filter is null ? "1=1" : Expression(filter, root, RootAlias, "filter");
    }

    /// <summary>The ORDER BY list; an aggregate's key sorts by the SQL given for it (its column's name, or its expression).</summary>
    public string OrderBy(IReadOnlyList<OrderBy> order, Limetype root, IReadOnlyDictionary<string, string> aggregates)
    {
        var parts = new List<string>();
        for (var i = 0; i < order.Count; i++)
        {
            var (key, descending) = (order[i].Key, order[i].Descending);
            var isAggregate = aggregates.TryGetValue(key, out var aggregate);
            var expression = isAggregate ? aggregate! : Scalar(key.Split('.'), 0, root, RootAlias, $"order[{i}].key").Sql;
            if (!isAggregate && IsText(key.Split('.'), root))
            {
                expression += " " + SqlDialect.TextCollation;
            }

            parts.Add(expression + (descending ? " DESC" : " ASC"));
        }

        // A stable order for paging: ties are broken by id.
        parts.Add($"{RootAlias}.\"id\"" + (order.Count > 0 && order[^1].Descending ? " DESC" : " ASC"));
        return string.Join(", ", parts);
    }

    /// <summary>A value expression and its type for a path of belongs-to relations ending in a stored property.</summary>
    public (string Sql, PropertyType Type) Scalar(string[] segments, int index, Limetype limetype, string alias, string jsonPath)
    {
        var name = segments[index];
        var last = index == segments.Length - 1;
        if (SystemColumns.TryGetValue(name, out var system))
        {
            return last
                ? ($"{alias}.{SqlDialect.Quote(system.Column)}", system.Type)
                : throw new QueryException(jsonPath, $"'{name}' is not a relation.");
        }

        var property = Find(limetype, name, jsonPath);
        if (property.Type == PropertyType.HasMany)
        {
            throw new QueryException(jsonPath,
                $"'{name}' is a has-many relation of '{limetype.Name}': use it in a filter (any related object) or an aggregate, not as a single value.");
        }

        if (last)
        {
            return ($"{alias}.{SqlDialect.Quote(property.Column!)}", property.Type);
        }

        if (property.Type != PropertyType.BelongsTo)
        {
            throw new QueryException(jsonPath, $"'{name}' on '{limetype.Name}' is not a relation, so '{segments[index + 1]}' cannot follow it.");
        }

        var target = schema.Get(property.RelatedLimetype!);
        var sub = NextAlias();
        var inner = Scalar(segments, index + 1, target, sub, jsonPath);
        return ($"(SELECT {inner.Sql} FROM {SqlDialect.Quote(target.Table)} {sub} WHERE {sub}.\"id\" = {alias}.{SqlDialect.Quote(property.Column!)})", inner.Type);
    }

    /// <summary>A per-row aggregate over a has-many path: a correlated scalar subquery, without its column name.</summary>
    public (string Sql, PropertyType Type) AggregateColumn(Aggregate aggregate, Limetype root, int index)
    {
        var jsonPath = $"aggregates[{index}]";
        if (!AggregateKey().IsMatch(aggregate.Key))
        {
            throw new QueryException(jsonPath + ".key", $"'{aggregate.Key}' is not a valid aggregate key: use letters, digits and _.");
        }

        var op = aggregate.Operator.ToUpperInvariant();
        if (op is not ("MIN" or "MAX" or "COUNT" or "SUM"))
        {
            throw new QueryException(jsonPath + ".operator", $"Unknown aggregate '{aggregate.Operator}'; use MIN, MAX, COUNT or SUM.");
        }

        var segments = aggregate.Path.Split('.');
        var relation = Find(root, segments[0], jsonPath + ".path");
        if (relation.Type != PropertyType.HasMany)
        {
            throw new QueryException(jsonPath + ".path", $"An aggregate needs a has-many relation first; '{segments[0]}' on '{root.Name}' is not one.");
        }

        var target = schema.Get(relation.RelatedLimetype!);
        var inverse = target.Find(relation.InverseProperty!)!;
        var sub = NextAlias();
        string value;
        var valueType = PropertyType.Integer;
        if (segments.Length == 1)
        {
            value = op == "COUNT" ? "*" : throw new QueryException(jsonPath + ".path", $"{op} needs a property after '{segments[0]}'.");
        }
        else
        {
            var (sql, type) = Scalar(segments, 1, target, sub, jsonPath + ".path");
            if (op == "SUM" && type is not (PropertyType.Integer or PropertyType.Decimal))
            {
                throw new QueryException(jsonPath + ".path", $"SUM needs a number; '{aggregate.Path}' is {type.ToString().ToLowerInvariant()}.");
            }

            value = sql;
            valueType = op == "COUNT" ? PropertyType.Integer : type;
        }

        return ($"(SELECT {op}({value}) FROM {SqlDialect.Quote(target.Table)} {sub} " +
                $"WHERE {sub}.{SqlDialect.Quote(inverse.Column!)} = {RootAlias}.\"id\")", valueType);
    }

    private string Expression(JsonNode node, Limetype limetype, string alias, string jsonPath)
    {
        if (node is not JsonObject obj)
        {
            throw new QueryException(jsonPath, "An expression is an object: {\"key\", \"op\", \"exp\"} or {\"op\": \"AND\"|\"OR\", \"exp\": [...]}.");
        }

        var op = ReadString(obj, "op", jsonPath);
        if (obj.ContainsKey("key"))
        {
            var key = ReadString(obj, "key", jsonPath);
            if (key.Length == 0)
            {
                throw new QueryException(jsonPath + ".key", "The key is empty.");
            }

            return Condition(key.Split('.'), 0, limetype, alias, op, obj["exp"], jsonPath);
        }

        switch (op.ToUpperInvariant())
        {
            case "AND":
            case "OR":
                if (obj["exp"] is not JsonArray items)
                {
                    throw new QueryException(jsonPath + ".exp", $"{op} needs an array of expressions.");
                }

                if (items.Count == 0)
                {
                    return op.Equals("AND", StringComparison.OrdinalIgnoreCase) ? "1=1" : "0=1";
                }

                var parts = items.Select((item, i) =>
                    Expression(item ?? throw new QueryException($"{jsonPath}.exp[{i}]", "An expression is missing."), limetype, alias, $"{jsonPath}.exp[{i}]"));
                return "(" + string.Join(op.Equals("AND", StringComparison.OrdinalIgnoreCase) ? " AND " : " OR ", parts) + ")";
            case "!":
                var inner = obj["exp"] ?? throw new QueryException(jsonPath + ".exp", "'!' needs an expression to negate.");
                // Note: a comparison with an empty value is unknown in SQL, and NOT keeps it unknown;
                // "IS NOT TRUE" makes what did not match a match, so a ticket without a status is "not done".
                return $"({Expression(inner, limetype, alias, jsonPath + ".exp")}) IS NOT TRUE";
            default:
                throw new QueryException(jsonPath + ".op", $"'{op}' needs a key; without one, use AND, OR or '!'.");
        }
    }

    private string Condition(string[] segments, int index, Limetype limetype, string alias, string op, JsonNode? value, string jsonPath)
    {
        var name = segments[index];
        var last = index == segments.Length - 1;
        if (!SystemColumns.ContainsKey(name))
        {
            var property = Find(limetype, name, jsonPath + ".key");
            if (property.Type == PropertyType.HasMany)
            {
                // The ids of the related objects' owners, not correlated with the outer row: the
                // database builds the set once per statement and can look the rows up by id, rather
                // than probe the related table once for every row. Empty inverse values are left out,
                // so NOT IN never meets a null, and an id is never null, so neither form is ever unknown.
                var target = schema.Get(property.RelatedLimetype!);
                var inverse = target.Find(property.InverseProperty!)!;
                var sub = NextAlias();
                var owner = $"{sub}.{SqlDialect.Quote(inverse.Column!)}";
                var owners = $"SELECT {owner} FROM {SqlDialect.Quote(target.Table)} {sub} WHERE {owner} IS NOT NULL";
                if (last)
                {
                    // The relation itself: "= null" means no related object, "!= null" at least one.
                    if (value is null && op is "=" or "!=")
                    {
                        return op == "=" ? $"{alias}.\"id\" NOT IN ({owners})" : $"{alias}.\"id\" IN ({owners})";
                    }

                    return $"{alias}.\"id\" IN ({owners} AND {Compare($"{sub}.\"id\"", PropertyType.Integer, op, value, jsonPath)})";
                }

                return $"{alias}.\"id\" IN ({owners} AND {Condition(segments, index + 1, target, sub, op, value, jsonPath)})";
            }

            if (!last && property.Type == PropertyType.BelongsTo && PathHasMany(segments, index + 1, schema.Get(property.RelatedLimetype!)))
            {
                // The same set form across a belongs-to; an empty relation is false, not unknown, so "!" reads it as a match.
                var target = schema.Get(property.RelatedLimetype!);
                var sub = NextAlias();
                var column = $"{alias}.{SqlDialect.Quote(property.Column!)}";
                return $"({column} IS NOT NULL AND {column} IN (SELECT {sub}.\"id\" FROM {SqlDialect.Quote(target.Table)} {sub} " +
                       $"WHERE {Condition(segments, index + 1, target, sub, op, value, jsonPath)}))";
            }
        }

        var (sql, type) = Scalar(segments, index, limetype, alias, jsonPath + ".key");
        var relatedTo = index == segments.Length - 1 && limetype.Find(name) is { Type: PropertyType.BelongsTo } bt ? bt.RelatedLimetype : null;
        return Compare(sql, type, op, value, jsonPath, relatedTo);
    }

    private bool IsText(string[] segments, Limetype limetype)
    {
        for (var i = 0; i < segments.Length; i++)
        {
            var p = limetype.Find(segments[i]);
            if (p is null)
            {
                return segments[i] == CrmSchema.UpdatedByKey;
            }

            if (i == segments.Length - 1)
            {
                return p.Type is PropertyType.Text or PropertyType.Option or PropertyType.File;
            }

            if (p.Type != PropertyType.BelongsTo)
            {
                return false;
            }

            limetype = schema.Get(p.RelatedLimetype!);
        }

        return false;
    }

    private bool PathHasMany(string[] segments, int index, Limetype limetype)
    {
        for (var i = index; i < segments.Length; i++)
        {
            var p = limetype.Find(segments[i]);
            if (p is null || p.Type != PropertyType.BelongsTo)
            {
                return p?.Type == PropertyType.HasMany;
            }

            limetype = schema.Get(p.RelatedLimetype!);
        }

        return false;
    }

    private string Compare(string sql, PropertyType type, string op, JsonNode? value, string jsonPath, string? relatedTo = null)
    {
        // Note: a value read through a subquery loses its column's collation; text always compares case-insensitively.
        if (type is PropertyType.Text or PropertyType.Option or PropertyType.File)
        {
            sql = $"{sql} {SqlDialect.TextCollation}";
        }

        switch (op)
        {
            case "=":
                return IsNull(value) ? $"{sql} IS NULL" : $"{sql} = {Parameter(Value(type, value, jsonPath, relatedTo))}";
            case "!=":
            case "!":
                return IsNull(value)
                    ? SqlDialect.NotNull(sql, type)
                    : $"({sql} IS NULL OR {sql} <> {Parameter(Value(type, value, jsonPath, relatedTo))})";
            case ">":
            case "<":
            case ">=":
            case "<=":
                if (IsNull(value))
                {
                    throw new QueryException(jsonPath + ".exp", $"'{op}' cannot compare with null; use '=' or '!=' null.");
                }

                if (type is PropertyType.YesNo or PropertyType.BelongsTo)
                {
                    throw new QueryException(jsonPath + ".op", $"'{op}' does not apply to a {ValueConverter.Describe(type)}.");
                }

                return $"{sql} {op} {Parameter(Value(type, value, jsonPath, relatedTo))}";
            case "IN":
                if (value is not JsonArray list)
                {
                    throw new QueryException(jsonPath + ".exp", "IN needs an array of values.");
                }

                var values = list.Where(v => !IsNull(v)).Select((v, i) => Parameter(Value(type, v, $"{jsonPath}.exp[{i}]", relatedTo))).ToList();
                var withNull = list.Any(IsNull);
                var inList = values.Count == 0 ? "0=1" : $"{sql} IN ({string.Join(", ", values)})";
                return withNull ? $"({inList} OR {sql} IS NULL)" : inList;
            case "=?":
            case "?":
                if (type is not (PropertyType.Text or PropertyType.Option or PropertyType.File))
                {
                    throw new QueryException(jsonPath + ".op", $"'{op}' compares text; this value is a {ValueConverter.Describe(type)}.");
                }

                var text = value is JsonValue jv && jv.TryGetValue<string>(out var s)
                    ? s
                    : throw new QueryException(jsonPath + ".exp", $"'{op}' needs a text value.");
                var pattern = (op == "?" ? "%" : "") + EscapeLike(text) + "%";
                return $"{sql} LIKE {Parameter(pattern)} ESCAPE '\\'";
            default:
                throw new QueryException(jsonPath + ".op", $"Unknown operator '{op}'; use =, !=, >, <, >=, <=, IN, =?, ? or !.");
        }
    }

    private string Parameter(object? value)
    {
        var name = "@p" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        parameters.Add(new(name, value));
        return name;
    }

    private string NextAlias() => "t" + (++aliases).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static LimeProperty Find(Limetype limetype, string name, string jsonPath) =>
        limetype.Find(name) ?? throw new QueryException(jsonPath, $"Unknown property '{name}' on limetype '{limetype.Name}'.");

    private static bool IsNull(JsonNode? value) => value is null || (value is JsonValue v && v.GetValueKind() == JsonValueKind.Null);

    private static string ReadString(JsonObject obj, string name, string jsonPath) =>
        obj[name] is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : throw new QueryException($"{jsonPath}.{name}", $"'{name}' must be a text.");

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_]{0,62}$")]
    private static partial Regex AggregateKey();
}
