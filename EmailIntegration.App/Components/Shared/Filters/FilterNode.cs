using System.Text.Json.Nodes;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>One expression as the filter builder edits it.</summary>
internal abstract class FilterNode
{
    public abstract JsonNode? ToJson();
}
