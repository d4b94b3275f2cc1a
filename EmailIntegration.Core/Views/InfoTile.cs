using System.Globalization;
using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>An info tile with exactly the guide's keys.</summary>
public sealed record InfoTile(
    string Id, JsonNode? Name, string Limetype, string? Filter, string Type, string? Property,
    string? Color, string? Icon, bool Inactive, string? Prefix, string? Suffix, double Divisor, int Decimals)
{
    public string Title => ViewText.Display(Name, Id);

    /// <summary>The value as the tile shows it: divided, rounded to its decimals, with prefix and suffix.</summary>
    public string Format(double? value)
    {
        var shown = (value ?? 0) / (Divisor == 0 ? 1 : Divisor);
        return $"{Prefix}{shown.ToString("N" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)}{Suffix}";
    }
}
