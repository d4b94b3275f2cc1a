using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>What importing a file would do, item by item; it is applied only when nothing in it is invalid.</summary>
public sealed record ImportPlan(IReadOnlyList<ImportEntry> Entries, IReadOnlyList<ConfigurationError> FileErrors)
{
    public bool CanImport => FileErrors.Count == 0 && Entries.Count > 0 && Entries.All(e => e.Action != ImportAction.Invalid);

    public IEnumerable<ConfigurationError> AllErrors => FileErrors.Concat(Entries.SelectMany(e => e.Errors));
}
