using System.Text.Json.Serialization;

namespace EmailIntegration.Core.Settings;

public sealed class RecoverySchedule
{
    /// <summary>Cron (five fields); every 20 minutes by default.</summary>
    [JsonPropertyName("schedule")]
    public string Schedule { get; set; } = "*/20 * * * *";

    /// <summary>The user the recovery runs as (recorded as who changed the records).</summary>
    [JsonPropertyName("username")]
    public string? Username { get; set; }

    [JsonPropertyName("language")]
    public string? Language { get; set; }
}
