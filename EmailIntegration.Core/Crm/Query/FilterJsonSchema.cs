using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// The JSON schema of a filter expression for one limetype, so a JSON editor can complete keys and
/// operators and mark what the query engine would refuse before anyone saves.
/// </summary>
public static class FilterJsonSchema
{
    /// <summary>Every operator of the filter language that compares a key with a value.</summary>
    public static IReadOnlyList<string> ConditionOperators { get; } = ["=", "!=", ">", "<", ">=", "<=", "IN", "=?", "?", "!"];

    /// <summary>The system keys every object has.</summary>
    public static IReadOnlyList<string> SystemKeys { get; } =
        [CrmSchema.IdKey, CrmSchema.CreatedKey, CrmSchema.UpdatedKey, CrmSchema.UpdatedByKey];

    /// <summary>How many relations a suggested path may cross; deeper paths still work, they are only not offered.</summary>
    public const int MaxHops = 2;

    /// <summary>The schema as JSON text, ready for the editor.</summary>
    public static string For(CrmSchema schema, string limetype) => Build(schema, limetype).ToJsonString();

    public static JsonObject Build(CrmSchema schema, string limetype)
    {
        var keys = new JsonArray(Paths(schema, limetype).Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
        var ops = new JsonArray(ConditionOperators.Select(o => (JsonNode?)JsonValue.Create(o)).ToArray());
        var scalar = new JsonObject
        {
            ["type"] = new JsonArray("string", "number", "boolean", "null"),
        };

        return new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["title"] = $"Filter on {limetype}",
            ["$ref"] = "#/definitions/expression",
            ["definitions"] = new JsonObject
            {
                ["expression"] = new JsonObject
                {
                    ["oneOf"] = new JsonArray(
                        new JsonObject { ["$ref"] = "#/definitions/condition" },
                        new JsonObject { ["$ref"] = "#/definitions/group" },
                        new JsonObject { ["$ref"] = "#/definitions/not" }),
                },
                ["condition"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Compares a property (a path may cross relations) with a value.",
                    ["required"] = new JsonArray("key", "op", "exp"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["key"] = new JsonObject { ["type"] = "string", ["enum"] = keys, ["description"] = "A property of " + limetype + ", or a path across relations." },
                        ["op"] = new JsonObject { ["type"] = "string", ["enum"] = ops },
                        ["exp"] = new JsonObject
                        {
                            ["description"] = "The value: text, number, true/false, null for empty, \"$me\" or \"$me.PROPERTY\"; an array for IN.",
                            ["anyOf"] = new JsonArray(scalar.DeepClone(), new JsonObject { ["type"] = "array", ["items"] = scalar.DeepClone() }),
                        },
                    },
                },
                ["group"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "All (AND) or any (OR) of the expressions.",
                    ["required"] = new JsonArray("op", "exp"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["op"] = new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("AND", "OR") },
                        ["exp"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["$ref"] = "#/definitions/expression" } },
                    },
                },
                ["not"] = new JsonObject
                {
                    ["type"] = "object",
                    ["description"] = "Negates an expression.",
                    ["required"] = new JsonArray("op", "exp"),
                    ["additionalProperties"] = false,
                    ["properties"] = new JsonObject
                    {
                        ["op"] = new JsonObject { ["const"] = "!" },
                        ["exp"] = new JsonObject { ["$ref"] = "#/definitions/expression" },
                    },
                },
            },
        };
    }

    /// <summary>
    /// Every key a filter on <paramref name="limetype"/> may use: the system keys, its properties
    /// (relations too: <c>coworker = $me</c>, <c>conversation = null</c>), and paths across up to
    /// <see cref="MaxHops"/> relations of either kind.
    /// </summary>
    public static IReadOnlyList<string> Paths(CrmSchema schema, string limetype)
    {
        var paths = new List<string>(SystemKeys);
        AddPaths(schema, schema.Get(limetype), "", 0, paths);
        return paths;
    }

    private static void AddPaths(CrmSchema schema, Limetype limetype, string prefix, int hops, List<string> paths)
    {
        foreach (var property in limetype.Ordered)
        {
            var path = prefix + property.Name;
            paths.Add(path);
            if (property.Type.IsRelation() && hops < MaxHops && property.RelatedLimetype is { } related && schema.Find(related) is { } target)
            {
                AddPaths(schema, target, path + ".", hops + 1, paths);
            }
        }
    }
}
