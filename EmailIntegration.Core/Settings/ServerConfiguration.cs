using System.Text.Json.Serialization;

namespace EmailIntegration.Core.Settings;

/// <summary>The server configuration's recovery schedule.</summary>
public sealed class ServerConfiguration
{
    [JsonPropertyName("handle_unprocessed_emails")]
    public RecoverySchedule HandleUnprocessedEmails { get; set; } = new();
}
