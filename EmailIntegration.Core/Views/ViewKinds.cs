namespace EmailIntegration.Core.Views;

public static class ViewKinds
{
    public static IReadOnlyList<ViewKind> All { get; } = [ViewKind.Filter, ViewKind.InfoTile, ViewKind.TableView];

    /// <summary>The array's name in an import or export file (<c>{"filters": [], "infoTiles": [], "tableViews": []}</c>).</summary>
    public static string FileKey(this ViewKind kind) => kind switch
    {
        ViewKind.Filter => "filters",
        ViewKind.InfoTile => "infoTiles",
        _ => "tableViews",
    };

    public static string Label(this ViewKind kind) => kind switch
    {
        ViewKind.Filter => "filter",
        ViewKind.InfoTile => "info tile",
        _ => "table view",
    };

    /// <summary>The file key for a name as written, case-insensitive, with the short forms admins use.</summary>
    public static ViewKind? FromFileKey(string key) => key.ToLowerInvariant() switch
    {
        "filters" => ViewKind.Filter,
        "infotiles" or "tiles" => ViewKind.InfoTile,
        "tableviews" or "views" or "viewconfigs" => ViewKind.TableView,
        _ => null,
    };
}
