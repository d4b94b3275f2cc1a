namespace EmailIntegration.Core.Views;

/// <summary>One version of a view item as it was saved (or its deletion, with no JSON).</summary>
public sealed class ViewItemVersion
{
    public long Id { get; set; }

    public ViewKind Kind { get; set; }

    public string ItemId { get; set; } = "";

    public int Version { get; set; }

    /// <summary>The item's JSON at this version; null for a deletion.</summary>
    public string? Json { get; set; }

    /// <summary>created, updated, imported, restored or deleted.</summary>
    public string Change { get; set; } = "";

    public DateTime Utc { get; set; }

    public string? By { get; set; }
}
