[assembly: System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1716",
    Scope = "namespace", Target = "~N:EmailIntegration.App.Components.Shared.Filters",
    Justification = "Razor components take their namespace from their folder; Components/Shared is the app's convention.")]

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>
/// An error from the server shown inside the JSON editor: placed by <paramref name="Line"/> (and
/// <paramref name="Column"/>) when given, else by a JSON <paramref name="Path"/> such as
/// <c>filter.exp[1].key</c>, else on the first line.
/// </summary>
public sealed record JsonEditorMarker(string Message, string? Path = null, int? Line = null, int? Column = null);
