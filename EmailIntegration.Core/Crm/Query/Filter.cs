using System.Globalization;
using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// Filter expressions of the Lime filter language, built in code: <c>{"key", "op", "exp"}</c>
/// conditions and <c>{"op": "AND"|"OR"|"!", "exp"}</c> combinations, exactly as an admin writes them
/// in JSON, so what code asks and what a saved filter asks go through the same translation.
/// </summary>
public static class Filter
{
    /// <summary>The signed-in user's coworker record as a value (<c>"$me"</c>).</summary>
    public const string Me = "$me";

    public static JsonObject Eq(string key, object? value) => Condition(key, "=", value);

    public static JsonObject NotEq(string key, object? value) => Condition(key, "!=", value);

    public static JsonObject Gt(string key, object? value) => Condition(key, ">", value);

    public static JsonObject Gte(string key, object? value) => Condition(key, ">=", value);

    public static JsonObject Lt(string key, object? value) => Condition(key, "<", value);

    public static JsonObject Lte(string key, object? value) => Condition(key, "<=", value);

    /// <summary>The value is one of <paramref name="values"/>.</summary>
    public static JsonObject In(string key, IEnumerable<object?> values) =>
        new() { ["key"] = key, ["op"] = "IN", ["exp"] = new JsonArray(values.Select(Value).ToArray()) };

    /// <summary>Text that begins with <paramref name="text"/> (<c>=?</c>).</summary>
    public static JsonObject BeginsWith(string key, string text) => Condition(key, "=?", text);

    /// <summary>Text that contains <paramref name="text"/> (<c>?</c>).</summary>
    public static JsonObject Contains(string key, string text) => Condition(key, "?", text);

    /// <summary>The property is empty (a missing relation included).</summary>
    public static JsonObject IsNull(string key) => Condition(key, "=", null);

    public static JsonObject IsNotNull(string key) => Condition(key, "!=", null);

    /// <summary>What <paramref name="expression"/> does not match, an empty value included.</summary>
    public static JsonObject Not(JsonNode expression) => new() { ["op"] = "!", ["exp"] = Owned(expression) };

    public static JsonObject And(params IEnumerable<JsonNode> expressions) => Combine("AND", expressions);

    public static JsonObject Or(params IEnumerable<JsonNode> expressions) => Combine("OR", expressions);

    /// <summary>Every one of the expressions: null when there are none, the expression itself when there is one.</summary>
    public static JsonNode? All(IReadOnlyList<JsonNode> expressions) => expressions.Count switch
    {
        0 => null,
        1 => expressions[0],
        _ => And(expressions),
    };

    /// <summary>Any one of the expressions: null when there are none, the expression itself when there is one.</summary>
    public static JsonNode? Any(IReadOnlyList<JsonNode> expressions) => expressions.Count switch
    {
        0 => null,
        1 => expressions[0],
        _ => Or(expressions),
    };

    /// <summary>
    /// A comparison with any value; values are written as the JSON format has them (a time in the
    /// store's own format, so it compares as stored).
    /// </summary>
    public static JsonObject Condition(string key, string op, object? value) =>
        new() { ["key"] = key, ["op"] = op, ["exp"] = Value(value) };

    private static JsonObject Combine(string op, IEnumerable<JsonNode> expressions) =>
        new() { ["op"] = op, ["exp"] = new JsonArray(expressions.Select(Owned).ToArray()) };

    // A node belongs to one parent; one that already has a parent (a scope reused in several filters) is copied.
    private static JsonNode Owned(JsonNode node) => node.Parent is null ? node : node.DeepClone();

    // Each type becomes the JSON value of that same type, so the translator reads it back as it was given.
    private static JsonNode? Value(object? value) => value switch
    {
        null => null,
        JsonNode node => Owned(node),
        string s => JsonValue.Create(s),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        bool b => JsonValue.Create(b),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        DateTime dt => JsonValue.Create(SqlDialect.FormatTime(dt)),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };
}
