namespace EmailIntegration.Core.Views;

/// <summary>
/// The column components a table view may name (<c>component.name</c>). The App maps each to a Razor
/// component; a column without one is shown by its property's type.
/// </summary>
public static class ViewComponentNames
{
    /// <summary>The guide's 📫 envelope: shown when the column's value (the aggregated earliest unread) is set.</summary>
    public const string UnreadIndicator = "lwc-unread-message-icon-indicator";
    public const string Date = "date";
    public const string RelationLink = "relation-link";
    public const string OptionChip = "option-chip";
    public const string Text = "text";

    public static IReadOnlyList<string> All { get; } = [UnreadIndicator, Date, RelationLink, OptionChip, Text];
}
