using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Query;

/// <summary>A filter's values, converted to what the database stores; <c>$me</c> is the signed-in coworker.</summary>
internal sealed partial class SqlTranslator
{
    private object? Value(PropertyType type, JsonNode? value, string jsonPath, string? relatedTo)
    {
        if (value is JsonValue v && v.TryGetValue<string>(out var text) && text.StartsWith("$me", StringComparison.Ordinal))
        {
            return Me(text, type, jsonPath, relatedTo);
        }

        if (value is JsonObject or JsonArray)
        {
            throw new QueryException(jsonPath + ".exp", "The value must be a single value, not an object or a list.");
        }

        var probe = new LimeProperty("", "value", "value", type, false, false, [], null, null);
        if (type == PropertyType.Option)
        {
            return value is JsonValue ov && ov.TryGetValue<string>(out var key) ? key
                : throw new QueryException(jsonPath + ".exp", "An option is compared with its key, a text.");
        }

        var converted = ValueConverter.ToDatabase(probe, value, out var error);
        return error is null ? converted : throw new QueryException(jsonPath + ".exp", error.Replace(" for value", "", StringComparison.Ordinal));
    }

    private object? Me(string text, PropertyType type, string jsonPath, string? relatedTo)
    {
        if (text == "$me")
        {
            if (type != PropertyType.BelongsTo || relatedTo != "coworker")
            {
                throw new QueryException(jsonPath + ".exp", "'$me' is the signed-in coworker: compare it with a relation to coworker.");
            }

            return context.CoworkerId;
        }

        var property = text.StartsWith("$me.", StringComparison.Ordinal) ? text[4..] : "";
        var coworker = schema.Get("coworker");
        var definition = coworker.Find(property);
        if (definition is null || !definition.Type.IsStored())
        {
            throw new QueryException(jsonPath + ".exp", $"'{text}': coworker has no property '{property}'.");
        }

        var raw = context.CoworkerValues?.GetValueOrDefault(property);
        return ValueConverter.ToDatabase(definition, raw, out _);
    }
}
