using MudBlazor;

namespace EmailIntegration.App.Components.Layout;

internal static class AppTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1565c0",
            Secondary = "#5c6bc0",
            AppbarBackground = "#1565c0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#64b5f6",
            Secondary = "#9fa8da",
        },
    };
}
