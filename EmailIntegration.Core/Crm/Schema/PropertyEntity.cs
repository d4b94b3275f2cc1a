namespace EmailIntegration.Core.Crm.Schema;

/// <summary>A property of a limetype as stored in the schema tables.</summary>
public sealed class PropertyEntity
{
    public int Id { get; set; }
    public int LimetypeId { get; set; }
    public LimetypeEntity? Limetype { get; set; }
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public PropertyType Type { get; set; }
    public bool Required { get; set; }
    public bool Indexed { get; set; }
    /// <summary>For options: the keys and labels, as JSON <c>[{"key":"done","label":"Done"}]</c>.</summary>
    public string? OptionsJson { get; set; }
    /// <summary>For relations: the limetype on the other side.</summary>
    public string? RelatedLimetype { get; set; }
    /// <summary>For relations: the property on the other side (belongs-to ↔ has-many).</summary>
    public string? InverseProperty { get; set; }
    public int SortOrder { get; set; }
}
