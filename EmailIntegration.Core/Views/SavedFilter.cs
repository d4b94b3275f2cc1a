using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>A saved filter: <c>{"id", "limetype", "name": {"en": ...}, "filter": EXPRESSION}</c>.</summary>
public sealed record SavedFilter(string Id, string Limetype, JsonNode? Name, JsonNode Expression)
{
    public string Title => ViewText.Display(Name, Id);
}
