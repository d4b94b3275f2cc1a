using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Crm.Query;

public sealed record OrderBy(string Key, bool Descending = false);

/// <summary>An aggregate over a has-many path, per row: <c>MIN(conversation.earliestunread)</c> as <c>Key</c>.</summary>
public sealed record Aggregate(string Key, string Operator, string Path);

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
    public IReadOnlyList<Aggregate> Aggregates { get; init; } = [];

    /// <summary>Only objects with a related message whose indexed text matches (the "Search all mail" box); ANDed with the filter.</summary>
    public MessageMatch? Match { get; init; }
}

/// <summary>
/// Objects reached from the root along <paramref name="Path"/> (relations to the conversations, e.g.
/// <c>conversation</c> on a ticket) to a conversation with a message whose indexed text matches
/// <paramref name="Expression"/>, an expression of the full-text index built by <c>MailSearchQuery</c>.
/// </summary>
public sealed record MessageMatch(string Path, string Expression);

/// <summary>Who asks: <c>$me</c> in a filter is this coworker.</summary>
public sealed record QueryContext(long? CoworkerId, IReadOnlyDictionary<string, object?>? CoworkerValues = null)
{
    public static QueryContext Anonymous { get; } = new(CoworkerId: null);
}

/// <summary>A filter that cannot be translated; the message names its JSON path.</summary>
public sealed class QueryException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path { get; } = path;
}
