using System.Text.Json.Nodes;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary><c>{"key": PATH, "op": OP, "exp": VALUE}</c> whose path the schema knows.</summary>
internal sealed class FilterCondition : FilterNode
{
    private JsonObject? original;

    public FilterCondition(string key, string op, JsonNode? value, JsonObject? original = null)
    {
        Key = key;
        Op = op;
        Value = value;
        this.original = original;
    }

    public string Key { get; private set; }
    public string Op { get; private set; }
    public JsonNode? Value { get; private set; }

    public void Set(string key, string op, JsonNode? value)
    {
        (Key, Op, Value) = (key, op, value);
        original = null;
    }

    // An untouched condition is written back exactly as it was read.
    public override JsonNode ToJson() =>
        original?.DeepClone() ?? new JsonObject { ["key"] = Key, ["op"] = Op, ["exp"] = Value?.DeepClone() };
}
