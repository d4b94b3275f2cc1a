using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>What importing one item of a file would do.</summary>
public sealed record ImportEntry(
    ViewKind Kind, string Id, string Limetype, string Path, ImportAction Action, IReadOnlyList<DiffLine> Diff, IReadOnlyList<ConfigurationError> Errors);
