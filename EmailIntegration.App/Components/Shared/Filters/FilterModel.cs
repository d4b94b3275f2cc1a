using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>Reads a filter expression into builder nodes, and resolves paths against the schema.</summary>
internal static class FilterModel
{
    public static FilterGroup Read(JsonNode? json, CrmSchema schema, string limetype)
    {
        if (json is null)
        {
            return new FilterGroup { Implicit = true };
        }

        var node = ReadNode(json, schema, limetype);
        if (node is FilterGroup group)
        {
            return group;
        }

        var root = new FilterGroup { Implicit = true };
        root.Items.Add(node);
        return root;
    }

    private static FilterNode ReadNode(JsonNode? json, CrmSchema schema, string limetype)
    {
        if (json is not JsonObject obj || !TryString(obj["op"], out var op) || !obj.ContainsKey("exp"))
        {
            return new FilterRaw(json?.DeepClone());
        }

        if (obj.Count == 3 && TryString(obj["key"], out var key) && Resolve(schema, limetype, key) is not null && IsPlainValue(obj["exp"]))
        {
            return new FilterCondition(key, op, obj["exp"]?.DeepClone(), (JsonObject)obj.DeepClone());
        }

        if (obj.Count == 2 && op is "AND" or "OR" && obj["exp"] is JsonArray items)
        {
            var group = new FilterGroup { Op = op };
            group.Items.AddRange(items.Select(i => ReadNode(i, schema, limetype)));
            return group;
        }

        return new FilterRaw(obj.DeepClone());
    }

    private static bool TryString(JsonNode? node, out string value)
    {
        value = "";
        return node is JsonValue v && v.TryGetValue(out value!);
    }

    // A scalar, or for IN a list of scalars; objects have no meaning as a value.
    private static bool IsPlainValue(JsonNode? node) => node switch
    {
        null or JsonValue => true,
        JsonArray list => list.All(i => i is null or JsonValue),
        _ => false,
    };

    /// <summary>The type a system key compares as.</summary>
    public static PropertyType? SystemKeyType(string key) => key switch
    {
        CrmSchema.IdKey => PropertyType.Integer,
        CrmSchema.CreatedKey or CrmSchema.UpdatedKey => PropertyType.Time,
        CrmSchema.UpdatedByKey => PropertyType.Text,
        _ => null,
    };

    /// <summary>What a path ends on, or null when the schema does not know it.</summary>
    public static PathEnd? Resolve(CrmSchema schema, string limetype, string key)
    {
        if (schema.Find(limetype) is not { } current || key.Length == 0)
        {
            return null;
        }

        var segments = key.Split('.');
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (SystemKeyType(segments[i]) is { } systemType)
            {
                return last ? new PathEnd(systemType, null) : null;
            }

            if (current.Find(segments[i]) is not { } property)
            {
                return null;
            }

            if (last)
            {
                return new PathEnd(property.Type, property);
            }

            if (!property.Type.IsRelation() || property.RelatedLimetype is null || schema.Find(property.RelatedLimetype) is not { } next)
            {
                return null;
            }

            current = next;
        }

        return null;
    }
}
