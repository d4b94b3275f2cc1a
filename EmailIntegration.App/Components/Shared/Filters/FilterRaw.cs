using System.Text.Json.Nodes;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>An expression the builder shows but does not edit: a negation, or anything it cannot represent. Kept as is.</summary>
internal sealed class FilterRaw(JsonNode? json) : FilterNode
{
    public JsonNode? Json { get; } = json;

    public bool IsNot => Json is JsonObject o && o.Count == 2 && (string?)(o["op"] as JsonValue) == "!" && o.ContainsKey("exp");

    public override JsonNode? ToJson() => Json?.DeepClone();
}
