namespace EmailIntegration.Core.Views;

/// <summary>
/// One stored filter, info tile or table view: its JSON as the guide writes it, keyed by kind and
/// stable id. Every change also writes a <see cref="ViewItemVersion"/>, so earlier versions can be restored.
/// </summary>
public sealed class ViewItem
{
    public ViewKind Kind { get; set; }

    public string ItemId { get; set; } = "";

    public string Limetype { get; set; } = "";

    public string Json { get; set; } = "";

    public int Version { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public string? UpdatedBy { get; set; }
}
