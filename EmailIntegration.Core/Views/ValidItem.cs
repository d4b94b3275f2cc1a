using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>A view item that passed validation: its key and its JSON as it will be stored.</summary>
public sealed record ValidItem(ViewKind Kind, string Id, string Limetype, JsonObject Json)
{
    public string Text => ViewItemValidator.Serialize(Json);
}
