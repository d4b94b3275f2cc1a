using System.Text.Json;
using System.Text.Json.Serialization;

namespace EmailIntegration.Core.Settings;

/// <summary>
/// The runtime configuration admins edit as JSON: which records a conversation hangs on, which
/// records followers are matched to, and the limetype and property names the import writes.
/// Keys and defaults are the configuration guide's, so its example works as pasted.
/// </summary>
public sealed class RuntimeConfiguration
{
    public bool PersonalizedEmails { get; set; } = true;

    public List<ConversationParentConfig> ConversationParents { get; set; } = [];

    public List<FollowerParentConfig> FollowerParents { get; set; } =
    [
        new() { Limetype = "person" },
        new() { Limetype = "coworker" },
    ];

    public ConversationConfig Conversation { get; set; } = new();

    public ConversationMessageConfig ConversationMessage { get; set; } = new();

    public FollowerConfig Follower { get; set; } = new();

    public MessageFollowerConfig MessageFollower { get; set; } = new();

    public DocumentConfig Document { get; set; } = new();

    public EmbeddedFileConfig EmbeddedFile { get; set; } = new();

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // A misspelt key is an error with its path, not a silently ignored setting.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The parents of conversations in an account, in configuration order.</summary>
    public IEnumerable<ConversationParentConfig> ParentsFor(Guid accountId) =>
        ConversationParents.Where(p => p.Accounts.Any(a => Guid.TryParse(a, out var id) && id == accountId));
}
