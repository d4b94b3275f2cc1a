namespace EmailIntegration.Core.Views;

/// <summary>The three kinds of view configuration an administrator keeps as JSON documents.</summary>
public enum ViewKind
{
    Filter,
    InfoTile,
    TableView,
}
