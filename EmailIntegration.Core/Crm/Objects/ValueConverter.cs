using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>Converts values between what callers give (CLR values or JSON), the database, and what readers get back.</summary>
internal static class ValueConverter
{
    /// <summary>A value for a property's column, or an error message that says what is expected.</summary>
    public static object? ToDatabase(LimeProperty property, object? value, out string? error)
    {
        error = null;
        if (value is JsonNode node)
        {
            value = FromJson(node);
        }
        else if (value is JsonElement element)
        {
            value = FromJson(JsonNode.Parse(element.GetRawText()));
        }

        if (value is null || (value is string s0 && s0.Length == 0 && property.Type is not PropertyType.Text))
        {
            return property.Type == PropertyType.YesNo ? 0L : null;
        }

        try
        {
            switch (property.Type)
            {
                case PropertyType.Text:
                case PropertyType.File:
                    return value as string ?? Convert.ToString(value, CultureInfo.InvariantCulture);
                case PropertyType.Option:
                    var key = value as string ?? "";
                    if (!property.HasOption(key))
                    {
                        error = $"'{key}' is not an option of {property.Name}; choose one of {string.Join(", ", property.Options.Select(o => o.Key))}.";
                        return null;
                    }

                    return key;
                case PropertyType.Integer:
                case PropertyType.BelongsTo:
                    return value switch
                    {
                        string text => long.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture),
                        double d when d != Math.Floor(d) => throw new FormatException(),
                        _ => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                    };
                case PropertyType.Decimal:
                    return value is string dtext
                        ? double.Parse(dtext, NumberStyles.Float, CultureInfo.InvariantCulture)
                        : Convert.ToDouble(value, CultureInfo.InvariantCulture);
                case PropertyType.YesNo:
                    return value switch
                    {
                        bool b => b ? 1L : 0L,
                        string t when bool.TryParse(t, out var parsed) => parsed ? 1L : 0L,
                        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0 ? 1L : 0L,
                        _ => throw new FormatException(),
                    };
                case PropertyType.Time:
                    return value switch
                    {
                        DateTime dt => SqlDialect.FormatTime(dt),
                        DateTimeOffset dto => SqlDialect.FormatTime(dto.UtcDateTime),
                        string t => SqlDialect.FormatTime(DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).UtcDateTime),
                        _ => throw new FormatException(),
                    };
                default:
                    error = $"{property.Name} is a has-many relation; set the belongs-to side on the related objects instead.";
                    return null;
            }
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            error = $"'{value}' is not a valid {Describe(property.Type)} for {property.Name}.";
            return null;
        }
    }

    /// <summary>A database value as a reader expects it: long, double, bool, UTC DateTime, string.</summary>
    public static object? FromDatabase(PropertyType type, object? value) =>
        value is null or DBNull
            ? (type == PropertyType.YesNo ? false : null)
            : type switch
            {
                PropertyType.YesNo => Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0,
                PropertyType.Time => SqlDialect.ParseTime((string)value),
                PropertyType.Decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
                PropertyType.Integer or PropertyType.BelongsTo => Convert.ToInt64(value, CultureInfo.InvariantCulture),
                _ => value,
            };

    public static string Describe(PropertyType type) => type switch
    {
        PropertyType.YesNo => "yes/no value (true or false)",
        PropertyType.Time => "time (ISO 8601, for example 2026-01-31T09:00:00Z)",
        PropertyType.BelongsTo => "object id",
        _ => type.ToString().ToLowerInvariant(),
    };

    private static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        _ => node.ToJsonString(),
    };
}
