using System.Text.Json.Nodes;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary><c>{"op": "AND"|"OR", "exp": [...]}</c>.</summary>
internal sealed class FilterGroup : FilterNode
{
    public string Op { get; set; } = "AND";
    public List<FilterNode> Items { get; } = [];

    /// <summary>
    /// A root the builder made up around a lone expression (or none), so there is always somewhere to add a
    /// condition. It is written back as that expression until it holds more than one.
    /// </summary>
    public bool Implicit { get; init; }

    public override JsonNode? ToJson()
    {
        if (Implicit && Op == "AND" && Items.Count <= 1)
        {
            return Items.Count == 0 ? null : Items[0].ToJson();
        }

        return new JsonObject { ["op"] = Op, ["exp"] = new JsonArray(Items.Select(i => i.ToJson()).ToArray()) };
    }
}
