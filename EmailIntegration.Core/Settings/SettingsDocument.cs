namespace EmailIntegration.Core.Settings;

/// <summary>One stored settings document (JSON), by name.</summary>
public sealed class SettingsDocument
{
    public string Name { get; set; } = "";

    public string Json { get; set; } = "";

    public DateTime UpdatedUtc { get; set; }

    public string? UpdatedBy { get; set; }
}
