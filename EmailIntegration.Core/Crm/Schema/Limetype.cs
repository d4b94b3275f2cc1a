using System.Collections.Frozen;

namespace EmailIntegration.Core.Crm.Schema;

/// <summary>An immutable view of one limetype.</summary>
public sealed class Limetype
{
    public Limetype(string name, string label, IEnumerable<LimeProperty> properties)
    {
        Name = name;
        Label = label;
        Properties = properties.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        Ordered = properties.ToList();
    }

    public string Name { get; }
    public string Label { get; }
    public string Table => CrmSchema.TableName(Name);
    public IReadOnlyDictionary<string, LimeProperty> Properties { get; }
    public IReadOnlyList<LimeProperty> Ordered { get; }

    public LimeProperty? Find(string property) => Properties.GetValueOrDefault(property);
}
