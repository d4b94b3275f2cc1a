namespace EmailIntegration.App.Components.Pages.Objects;

/// <summary>A row of an object list (a named type, so Razor can use it as a type argument).</summary>
public sealed record ObjectRow(IReadOnlyDictionary<string, object?> Values)
{
    public object? this[string key] => Values.GetValueOrDefault(key);
}
