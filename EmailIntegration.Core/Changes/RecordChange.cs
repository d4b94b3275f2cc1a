namespace EmailIntegration.Core.Changes;

public readonly record struct RecordChange(string Limetype, long Id, ChangeKind Kind);
