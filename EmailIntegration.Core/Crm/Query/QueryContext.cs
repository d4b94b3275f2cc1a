namespace EmailIntegration.Core.Crm.Query;

/// <summary>Who asks: <c>$me</c> in a filter is this coworker.</summary>
public sealed record QueryContext(long? CoworkerId, IReadOnlyDictionary<string, object?>? CoworkerValues = null)
{
    public static QueryContext Anonymous { get; } = new(CoworkerId: null);
}
