namespace EmailIntegration.Core.Crm.Schema;

/// <summary>An immutable view of one property, used by the object store and the query engine.</summary>
public sealed record LimeProperty(
    string Limetype,
    string Name,
    string Label,
    PropertyType Type,
    bool Required,
    bool Indexed,
    IReadOnlyList<OptionValue> Options,
    string? RelatedLimetype,
    string? InverseProperty)
{
    /// <summary>The SQL column: the name itself, or <c>name_id</c> for a belongs-to. Has-many has none.</summary>
    public string? Column => Type switch
    {
        PropertyType.HasMany => null,
        PropertyType.BelongsTo => Name + "_id",
        _ => Name,
    };

    public bool HasOption(string key) => Options.Any(o => o.Key == key);
}
