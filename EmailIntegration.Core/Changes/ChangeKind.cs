namespace EmailIntegration.Core.Changes;

public enum ChangeKind
{
    Created,
    Updated,
    Deleted,
}
