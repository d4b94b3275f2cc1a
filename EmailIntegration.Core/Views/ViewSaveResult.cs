using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>The outcome of a save: the stored item, or the errors that kept it from being stored.</summary>
public sealed record ViewSaveResult(ViewItem? Item, IReadOnlyList<ConfigurationError> Errors)
{
    public bool Saved => Item is not null;
}
