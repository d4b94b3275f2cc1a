using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// A query in the Lime filter language: a filter expression (<c>{key, op, exp}</c> or
/// <c>{op: AND|OR, exp: [...]}</c>), ordering, paging, extra columns across belongs-to relations
/// (<c>person.name</c>) and aggregates over has-many relations.
/// </summary>
public sealed record LimeQuery(string Limetype)
{
    public JsonNode? Filter { get; init; }
    public IReadOnlyList<OrderBy> Order { get; init; } = [];
    public int Offset { get; init; }
    public int Limit { get; init; } = 50;
    public IReadOnlyList<string> Columns { get; init; } = [];

    /// <summary>The stored properties to read, or null for all of them; a caller that needs a few leaves the large ones (a message's HTML) unread.</summary>
    public IReadOnlyList<string>? Properties { get; init; }
    public IReadOnlyList<Aggregate> Aggregates { get; init; } = [];

    /// <summary>Only objects with a related message whose indexed text matches (the "Search all mail" box); ANDed with the filter.</summary>
    public MessageMatch? Match { get; init; }
}
