namespace EmailIntegration.Core.OAuth;

/// <summary>The result of a save or delete: the id, or the errors keyed by field.</summary>
public sealed record SaveResult(Guid? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    public static SaveResult Ok(Guid id) => new(id, new Dictionary<string, string>());

    public static SaveResult Fail(string field, string message) => new(null, new Dictionary<string, string> { [field] = message });
}
