namespace EmailIntegration.Core.Crm.Schema;

/// <summary>A record type (helpdesk, person, ...) as stored in the schema tables.</summary>
public sealed class LimetypeEntity
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public List<PropertyEntity> Properties { get; set; } = [];
}
