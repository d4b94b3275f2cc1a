using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>One column of a table view, in the guide's shape.</summary>
public sealed record ViewColumn(
    string Property, string Title, bool IsDefault, bool Aggregated, string? AggregateOperator, string? AggregateKey,
    string? Component, JsonObject? Props)
{
    /// <summary>The key of this column's value in a query row: the aggregate's key, else the property path.</summary>
    public string ValueKey => Aggregated ? AggregateKey! : Property;
}
