using System.Collections.Concurrent;
using System.Reflection;
using MudBlazor;

namespace EmailIntegration.App.Components.Shared.Views;

/// <summary>The colors and icons a tile's JSON names, as CSS and MudBlazor icons.</summary>
internal static class TileColors
{
    private static readonly Dictionary<string, string> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["red"] = "#d32f2f",
        ["orange"] = "#ef6c00",
        ["yellow"] = "#f9a825",
        ["green"] = "#2e7d32",
        ["teal"] = "#00796b",
        ["blue"] = "#1565c0",
        ["indigo"] = "#3949ab",
        ["purple"] = "#7b1fa2",
        ["pink"] = "#c2185b",
        ["grey"] = "#616161",
        ["gray"] = "#616161",
    };

    public static IReadOnlyCollection<string> Names => Named.Keys;

    /// <summary>A named color, a #hex color, else the theme's primary color; never anything that could break out of the style.</summary>
    public static string Css(string? color) =>
        color is null ? "var(--mud-palette-primary)"
        : Named.TryGetValue(color, out var css) ? css
        : System.Text.RegularExpressions.Regex.IsMatch(color, "^#[0-9a-fA-F]{3,8}$") ? color
        : "var(--mud-palette-primary)";

    private static readonly ConcurrentDictionary<string, string> Icons = new(StringComparer.Ordinal);

    /// <summary>A Material icon by its name as the guide writes icons (<c>mark_email_unread</c>), else a tile icon.</summary>
    public static string Icon(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return MudBlazor.Icons.Material.Outlined.Dashboard;
        }

        return Icons.GetOrAdd(name, n =>
        {
            var pascal = string.Concat(n.Split('_', '-', ' ').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
            return typeof(MudBlazor.Icons.Material.Outlined).GetField(pascal, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string
                ?? typeof(MudBlazor.Icons.Material.Outlined).GetProperty(pascal, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string
                ?? MudBlazor.Icons.Material.Outlined.Dashboard;
        });
    }
}
