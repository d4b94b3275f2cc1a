namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// One object as read from the store: its id, system values and property values. A belongs-to
/// property's value is the related object's id.
/// </summary>
public sealed record LimeObject(string Limetype, long Id, IReadOnlyDictionary<string, object?> Values)
{
    public object? this[string key] => Values.GetValueOrDefault(key);

    public string? Text(string key) => this[key] as string;
}
