namespace EmailIntegration.Core.Changes;

public enum ChangeKind
{
    Created,
    Updated,
    Deleted,
}

public readonly record struct RecordChange(string Limetype, long Id, ChangeKind Kind);
