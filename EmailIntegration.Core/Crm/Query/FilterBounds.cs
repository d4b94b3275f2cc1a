using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>
/// The size limits of a filter, checked before it is translated. The translator and
/// <see cref="JsonNode"/>'s own operations (DeepClone, DeepEquals) recurse once per level, so a
/// filter built in code 100,000 levels deep would end the process with a stack overflow; and SQLite
/// refuses statements with too many parameters or too deep an expression tree with its own error.
/// The check is an explicit walk, never a recursion, and it stops at the first limit it meets.
/// </summary>
public static class FilterBounds
{
    /// <summary>JSON levels, objects and arrays together (an AND/OR with its list is two, a '!' one): the JSON reader's own default.</summary>
    public const int MaxDepth = 64;

    /// <summary>Conditions (objects with a key) in one filter; SQLite's expression tree stays well within its limit of 1,000.</summary>
    public const int MaxConditions = 500;

    /// <summary>Values in one IN list.</summary>
    public const int MaxInValues = 1000;

    /// <summary>Values in the whole filter (each becomes a parameter; SQLite takes at most 32,766).</summary>
    public const int MaxValues = 10_000;

    /// <summary>Throws a <see cref="QueryException"/> naming the JSON path where a limit is passed.</summary>
    public static void Check(JsonNode? filter, string jsonPath)
    {
        if (filter is null)
        {
            return;
        }

        var conditions = 0;
        var values = 0;
        var pending = new Stack<(JsonNode Node, string Path, int Depth)>();
        pending.Push((filter, jsonPath, 1));
        while (pending.TryPop(out var current))
        {
            var (node, path, depth) = current;
            if (depth > MaxDepth)
            {
                throw new QueryException(path,
                    $"The filter nests more than {MaxDepth} levels deep (an AND or OR with its list counts two, a '!' one); write it flatter.");
            }

            if (node is JsonArray array)
            {
                // Children are pushed in reverse, so the first error found is the first in the text.
                for (var i = array.Count - 1; i >= 0; i--)
                {
                    if (array[i] is JsonObject or JsonArray)
                    {
                        pending.Push((array[i]!, $"{path}[{i}]", depth + 1));
                    }
                }

                continue;
            }

            if (node is not JsonObject obj)
            {
                continue;
            }

            if (obj.ContainsKey("key"))
            {
                if (++conditions > MaxConditions)
                {
                    throw new QueryException(path, $"The filter has more than {MaxConditions} conditions; use IN for lists of values, or split it.");
                }

                var isIn = obj["op"] is JsonValue op && op.TryGetValue<string>(out var name) && name == "IN";
                var count = isIn && obj["exp"] is JsonArray list ? list.Count : 1;
                if (isIn && count > MaxInValues)
                {
                    throw new QueryException(path + ".exp", $"IN has {count:N0} values; the limit is {MaxInValues:N0}.");
                }

                values += count;
                if (values > MaxValues)
                {
                    throw new QueryException(path, $"The filter compares with more than {MaxValues:N0} values in all; split it.");
                }
            }

            var children = obj.ToList();
            for (var i = children.Count - 1; i >= 0; i--)
            {
                if (children[i].Value is JsonObject or JsonArray)
                {
                    pending.Push((children[i].Value!, $"{path}.{children[i].Key}", depth + 1));
                }
            }
        }
    }

    /// <summary>
    /// The path of the first container nested deeper than <paramref name="maxDepth"/> levels below
    /// <paramref name="node"/>, or null; without recursion, so it is safe on any node before DeepClone.
    /// </summary>
    public static string? FindTooDeep(JsonNode? node, int maxDepth, string jsonPath)
    {
        if (node is null)
        {
            return null;
        }

        var pending = new Stack<(JsonNode Node, string Path, int Depth)>();
        pending.Push((node, jsonPath, 1));
        while (pending.TryPop(out var current))
        {
            if (current.Depth > maxDepth)
            {
                return current.Path;
            }

            IEnumerable<(JsonNode? Child, string Path)> children = current.Node switch
            {
                JsonArray array => array.Select((c, i) => (c, $"{current.Path}[{i}]")),
                JsonObject obj => obj.Select(p => (p.Value, current.Path.Length == 0 ? p.Key : $"{current.Path}.{p.Key}")),
                _ => [],
            };
            foreach (var (child, path) in children)
            {
                if (child is JsonObject or JsonArray)
                {
                    pending.Push((child, path, current.Depth + 1));
                }
            }
        }

        return null;
    }
}
