using System.Text.Json.Serialization;

namespace EmailIntegration.Core.Settings;

/// <summary>The application configuration (<c>limepkg_email</c>), keys and defaults as the configuration guide gives them.</summary>
public sealed class ApplicationConfiguration
{
    /// <summary>The name the built-in importer is registered under.</summary>
    public const string BuiltInHandler = "limepkg_email.tasks.tasks.message_to_limeobjects";

    [JsonPropertyName("webhook_base_url")]
    public string? WebhookBaseUrl { get; set; }

    [JsonPropertyName("handle_unprocessed_emails_enabled")]
    public bool HandleUnprocessedEmailsEnabled { get; set; } = true;

    /// <summary>Minutes: recovery leaves younger unseen mail to the live import.</summary>
    [JsonPropertyName("vacuum_cleaner_grace_period")]
    public int VacuumCleanerGracePeriod { get; set; } = 2;

    /// <summary>Days: failed messages younger than this are retried by the recovery.</summary>
    [JsonPropertyName("max_import_age_for_failed_messages")]
    public int MaxImportAgeForFailedMessages { get; set; } = 1;

    [JsonPropertyName("attachment_max_size_mb")]
    public int AttachmentMaxSizeMb { get; set; } = 25;

    [JsonPropertyName("incoming_message_webhook_task")]
    public string IncomingMessageWebhookTask { get; set; } = BuiltInHandler;
}
