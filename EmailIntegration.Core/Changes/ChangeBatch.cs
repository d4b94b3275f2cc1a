namespace EmailIntegration.Core.Changes;

/// <summary>The records one committed transaction created, updated or deleted, and who did it.</summary>
public sealed record ChangeBatch(IReadOnlyList<RecordChange> Changes, string? Actor)
{
    public bool Touches(string limetype) => Changes.Any(c => c.Limetype == limetype);

    public bool Touches(string limetype, long id) => Changes.Any(c => c.Limetype == limetype && c.Id == id);

    public IEnumerable<long> Created(string limetype) =>
        Changes.Where(c => c.Limetype == limetype && c.Kind == ChangeKind.Created).Select(c => c.Id);
}
