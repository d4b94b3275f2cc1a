namespace EmailIntegration.Core.Crm.Schema;

/// <summary>A new property as an administrator describes it.</summary>
public sealed record NewProperty(
    string Name,
    string Label,
    PropertyType Type,
    bool Required = false,
    bool Indexed = false,
    IReadOnlyList<OptionValue>? Options = null,
    string? RelatedLimetype = null,
    string? InverseName = null,
    string? InverseLabel = null);
