using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>Schemas built in memory, for code that reads a schema but needs no database (components, JSON schemas).</summary>
public static class TestSchemas
{
    /// <summary>The default schema as the schema service creates it: each belongs-to with its has-many inverse on the related limetype.</summary>
    public static CrmSchema Default()
    {
        var properties = DefaultSchema.Limetypes.ToDictionary(l => l.Name, _ => new List<LimeProperty>());
        foreach (var limetype in DefaultSchema.Limetypes)
        {
            foreach (var p in limetype.Properties)
            {
                properties[limetype.Name].Add(new LimeProperty(
                    limetype.Name, p.Name, p.Label, p.Type, p.Required, p.Indexed, p.Options ?? [], p.Related, p.Inverse));
            }
        }

        foreach (var limetype in DefaultSchema.Limetypes)
        {
            foreach (var p in limetype.Properties.Where(p => p.Type == PropertyType.BelongsTo))
            {
                properties[p.Related!].Add(new LimeProperty(
                    p.Related!, p.Inverse!, p.InverseLabel ?? p.Inverse!, PropertyType.HasMany, false, false, [], limetype.Name, p.Name));
            }
        }

        return new CrmSchema(DefaultSchema.Limetypes.Select(l => new Limetype(l.Name, l.Label, properties[l.Name])));
    }
}
