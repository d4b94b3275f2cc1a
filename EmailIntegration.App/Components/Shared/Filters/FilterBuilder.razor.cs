using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;
using Microsoft.AspNetCore.Components;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>The builder's state and edits; FilterBuilder.razor renders it.</summary>
public partial class FilterBuilder
{
    private static readonly JsonSerializerOptions IndentedJson = new() { WriteIndented = true };

    private FilterGroup root = new() { Implicit = true };
    private JsonNode? lastJson;
    private bool read;
    private string? readLimetype;
    private readonly Dictionary<FilterNode, int> indexes = new(ReferenceEqualityComparer.Instance);

    [Parameter, EditorRequired] public CrmSchema Schema { get; set; } = default!;
    [Parameter, EditorRequired] public string Limetype { get; set; } = "";
    [Parameter] public JsonNode? Value { get; set; }
    [Parameter] public EventCallback<JsonNode?> ValueChanged { get; set; }

    protected override void OnParametersSet()
    {
        // Read again only what came from outside: the echo of our own change keeps conditions being built.
        if (!read || Limetype != readLimetype || !JsonNode.DeepEquals(Value, lastJson))
        {
            read = true;
            readLimetype = Limetype;
            lastJson = Value?.DeepClone();
            root = Schema.Find(Limetype) is null ? new FilterGroup { Implicit = true } : FilterModel.Read(Value, Schema, Limetype);
            Reindex();
        }
    }

    private async Task ChangedAsync()
    {
        Reindex();
        lastJson = root.ToJson();
        await ValueChanged.InvokeAsync(lastJson?.DeepClone());
    }

    // Conditions, groups and raw expressions are numbered in reading order for the test ids.
    private void Reindex()
    {
        indexes.Clear();
        int conditions = 0, groups = 0, raws = 0;
        void Walk(FilterNode node)
        {
            switch (node)
            {
                case FilterGroup g:
                    indexes[g] = groups++;
                    g.Items.ForEach(Walk);
                    break;
                case FilterCondition c:
                    indexes[c] = conditions++;
                    break;
                default:
                    indexes[node] = raws++;
                    break;
            }
        }

        Walk(root);
    }

    private string Suffix(FilterGroup group) => indexes.GetValueOrDefault(group) == 0 ? "" : "-" + indexes[group];

    private static string Text(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(),
    };

    private static JsonValue Number(string? text)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        // What is not a number is kept as typed; the server says what is wrong with it.
        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text ?? string.Empty);
    }

    private static string ValueKind(JsonNode? value, PathEnd end) => value switch
    {
        null => "null",
        JsonValue v when end.Type == PropertyType.BelongsTo && v.TryGetValue<string>(out var s) && s == "$me" => "$me",
        _ => "value",
    };

    /// <summary>The operators that make sense for a type; the one in use is always offered, so nothing read is lost.</summary>
    internal static IReadOnlyList<string> OperatorsFor(PropertyType type, string? current = null)
    {
        string[] ops = type switch
        {
            PropertyType.Text => ["=", "!=", "=?", "?", "IN"],
            PropertyType.Option => ["=", "!=", "IN"],
            PropertyType.Integer or PropertyType.Decimal => ["=", "!=", ">", "<", ">=", "<=", "IN"],
            PropertyType.Time => ["=", "!=", ">", "<", ">=", "<="],
            PropertyType.BelongsTo => ["=", "!=", "IN"],
            _ => ["=", "!="],
        };
        return current is null || ops.Contains(current) ? ops : [.. ops, current];
    }

    private static string OperatorLabel(string op) => op switch
    {
        "=" => "is",
        "!=" => "is not",
        ">" => "greater than",
        "<" => "less than",
        ">=" => "at least",
        "<=" => "at most",
        "IN" => "is one of",
        "=?" => "begins with",
        "?" => "contains",
        "!" => "is not (!)",
        _ => op,
    };

    private static JsonValue? DefaultValue(PathEnd end) => end.Type switch
    {
        PropertyType.Text => JsonValue.Create(string.Empty),
        PropertyType.Option => JsonValue.Create(end.Property?.Options is { Count: > 0 } options ? options[0].Key : string.Empty),
        PropertyType.Integer or PropertyType.Decimal => JsonValue.Create(0),
        PropertyType.YesNo => JsonValue.Create(true),
        PropertyType.BelongsTo when end.IsCoworkerRelation => JsonValue.Create("$me"),
        _ => null,
    };

    private async Task SetGroupOpAsync(FilterGroup group, string? op)
    {
        group.Op = op == "OR" ? "OR" : "AND";
        await ChangedAsync();
    }

    private static FilterCondition NewCondition() => new(string.Empty, "=", null);

    private async Task AddAsync(FilterGroup group, FilterNode node)
    {
        group.Items.Add(node);
        await ChangedAsync();
    }

    private async Task RemoveAsync(FilterGroup parent, FilterNode node)
    {
        parent.Items.Remove(node);
        await ChangedAsync();
    }

    private async Task SetPathAsync(FilterCondition condition, string[] segments, int level, string? chosen)
    {
        var path = segments.Take(level).ToList();
        if (!string.IsNullOrEmpty(chosen))
        {
            path.Add(chosen);
        }

        var key = string.Join('.', path);
        var before = FilterModel.Resolve(Schema, Limetype, condition.Key);
        var end = FilterModel.Resolve(Schema, Limetype, key);
        if (end is null)
        {
            condition.Set(key, condition.Op, condition.Value);
        }
        else
        {
            var ops = OperatorsFor(end.Type);
            var op = ops.Contains(condition.Op) ? condition.Op : ops[0];
            var sameKind = before is not null && before.Type == end.Type && before.Property?.RelatedLimetype == end.Property?.RelatedLimetype
                && (end.Type != PropertyType.Option || before.Property?.Options.SequenceEqual(end.Property!.Options) == true);
            JsonNode? value = sameKind ? condition.Value : op == "IN" ? new JsonArray() : DefaultValue(end);
            condition.Set(key, op, value);
        }

        await ChangedAsync();
    }

    private async Task SetOpAsync(FilterCondition condition, PathEnd end, string? op)
    {
        op ??= "=";
        var value = condition.Value;
        if (op == "IN" && value is not JsonArray)
        {
            value = value is null ? new JsonArray() : new JsonArray(value.DeepClone());
        }
        else if (op != "IN" && value is JsonArray list)
        {
            value = list.Count > 0 ? list[0]?.DeepClone() : DefaultValue(end);
        }

        if (op is "=?" or "?" && value is not JsonValue)
        {
            value = JsonValue.Create(string.Empty);
        }

        condition.Set(condition.Key, op, value);
        await ChangedAsync();
    }

    private async Task SetKindAsync(FilterCondition condition, PathEnd end, string? kind)
    {
        var value = kind switch
        {
            "null" => null,
            "$me" => JsonValue.Create("$me"),
            _ => DefaultValue(end) ?? (end.Type is PropertyType.Time ? JsonValue.Create(string.Empty) : JsonValue.Create(0)),
        };
        condition.Set(condition.Key, condition.Op, value);
        await ChangedAsync();
    }

    private async Task SetValueAsync(FilterCondition condition, JsonNode? value)
    {
        condition.Set(condition.Key, condition.Op, value);
        await ChangedAsync();
    }

    private async Task SetListItemAsync(FilterCondition condition, int index, JsonNode? value)
    {
        var list = (condition.Value as JsonArray)?.DeepClone().AsArray() ?? [];
        if (index < list.Count)
        {
            list[index] = value;
        }

        condition.Set(condition.Key, condition.Op, list);
        await ChangedAsync();
    }

    private async Task AddListItemAsync(FilterCondition condition, PathEnd end)
    {
        var list = (condition.Value as JsonArray)?.DeepClone().AsArray() ?? [];
        list.Add(end.Type switch
        {
            PropertyType.Text or PropertyType.Time or PropertyType.File => JsonValue.Create(string.Empty),
            PropertyType.Option or PropertyType.YesNo => DefaultValue(end),
            _ => JsonValue.Create(0), // numbers, and ids of related objects
        });
        condition.Set(condition.Key, condition.Op, list);
        await ChangedAsync();
    }

    private async Task RemoveListItemAsync(FilterCondition condition, int index)
    {
        var list = (condition.Value as JsonArray)?.DeepClone().AsArray() ?? [];
        if (index < list.Count)
        {
            list.RemoveAt(index);
        }

        condition.Set(condition.Key, condition.Op, list);
        await ChangedAsync();
    }
}
