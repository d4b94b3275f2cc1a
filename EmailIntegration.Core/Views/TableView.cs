using System.Globalization;
using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>A saved filter: <c>{"id", "limetype", "name": {"en": ...}, "filter": EXPRESSION}</c>.</summary>
public sealed record SavedFilter(string Id, string Limetype, JsonNode? Name, JsonNode Expression)
{
    public string Title => ViewText.Display(Name, Id);
}

/// <summary>An info tile with exactly the guide's keys.</summary>
public sealed record InfoTile(
    string Id, JsonNode? Name, string Limetype, string? Filter, string Type, string? Property,
    string? Color, string? Icon, bool Inactive, string? Prefix, string? Suffix, double Divisor, int Decimals)
{
    public string Title => ViewText.Display(Name, Id);

    /// <summary>The value as the tile shows it: divided, rounded to its decimals, with prefix and suffix.</summary>
    public string Format(double? value)
    {
        var shown = (value ?? 0) / (Divisor == 0 ? 1 : Divisor);
        return $"{Prefix}{shown.ToString("N" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}{Suffix}";
    }
}

/// <summary>One column of a table view, in the guide's shape.</summary>
public sealed record ViewColumn(
    string Property, string Title, bool IsDefault, bool Aggregated, string? AggregateOperator, string? AggregateKey,
    string? Component, JsonObject? Props)
{
    /// <summary>The key of this column's value in a query row: the aggregate's key, else the property path.</summary>
    public string ValueKey => Aggregated ? AggregateKey! : Property;
}

/// <summary>A tab on the record card: the related objects of one has-many relation.</summary>
public sealed record ViewTab(string Title, string Relation);

/// <summary>A source of the card's activity feed: a path of relations to the objects shown (newest first).</summary>
public sealed record ViewActivity(string Title, string Path);

/// <summary>How a limetype's list and card look: columns, card tabs, activity feed sources and filter chips.</summary>
public sealed record TableView(
    string Limetype, IReadOnlyList<ViewColumn> Columns, IReadOnlyList<ViewTab> Tabs, IReadOnlyList<ViewActivity> Activities,
    IReadOnlyList<string> Filters, bool IsStored)
{
    /// <summary>The belongs-to paths a list query must select for this view's columns.</summary>
    public IReadOnlyList<string> QueryColumns =>
        Columns.Where(c => !c.Aggregated && c.Property.Contains('.', StringComparison.Ordinal)).Select(c => c.Property).Distinct().ToList();

    public IReadOnlyList<Crm.Query.Aggregate> QueryAggregates =>
        Columns.Where(c => c.Aggregated).Select(c => new Crm.Query.Aggregate(c.AggregateKey!, c.AggregateOperator!, c.Property)).ToList();
}

/// <summary>Names that may be a text or one text per language (<c>{"en": "Unread", "sv": "Olästa"}</c>).</summary>
public static class ViewText
{
    public static string Display(JsonNode? name, string fallback, string language = "en")
    {
        if (name is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return text;
        }

        if (name is JsonObject languages)
        {
            if (languages[language] is JsonValue v && v.TryGetValue<string>(out var own) && own.Length > 0)
            {
                return own;
            }

            foreach (var (_, node) in languages)
            {
                if (node is JsonValue any && any.TryGetValue<string>(out var first) && first.Length > 0)
                {
                    return first;
                }
            }
        }

        return fallback;
    }
}
