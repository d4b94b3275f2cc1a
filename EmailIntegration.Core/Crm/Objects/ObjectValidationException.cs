namespace EmailIntegration.Core.Crm.Objects;

/// <summary>Refuses values that do not fit the schema, naming each property and what is wrong.</summary>
public sealed class ObjectValidationException(IReadOnlyDictionary<string, string> errors)
    : Exception(string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value}")))
{
    public IReadOnlyDictionary<string, string> Errors { get; } = errors;
}
