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

/// <summary>The message values a parent's property can be filled from.</summary>
public static class MessageProperties
{
    public static readonly IReadOnlyList<string> All =
        ["subject", "plainText", "htmlBody", "fromAddress", "fromName", "toAddresses", "ccAddresses", "date", "messageId", "accountAddress", "language"];
}

public sealed class ConversationParentConfig
{
    public string Limetype { get; set; } = "";

    public List<string> Accounts { get; set; } = [];

    public string RelationConversation { get; set; } = "conversation";

    public string? RelationDocument { get; set; }

    public List<ParentPropertyConfig> Properties { get; set; } = [];
}

public sealed class ParentPropertyConfig
{
    public string Property { get; set; } = "";

    public string? MessageProperty { get; set; }

    public string? SearchPath { get; set; }

    public JsonElement? Default { get; set; }
}

public sealed class FollowerParentConfig
{
    public string Limetype { get; set; } = "";

    public string PropertyAddress { get; set; } = "email";

    public string PropertyName { get; set; } = "name";

    public string RelationFollower { get; set; } = "follower";
}

public sealed class ConversationConfig
{
    public string Limetype { get; set; } = "conversation";
    public string PropertyThreadId { get; set; } = "threadid";
    public string PropertyReplyToId { get; set; } = "replytoid";
    public string PropertyEarliestUnread { get; set; } = "earliestunread";
    public string PropertySubject { get; set; } = "subject";
    public string PropertyAddress { get; set; } = "email";
    public string PropertyFirstMessageDate { get; set; } = "firstmessagedate";
    public string PropertyLanguage { get; set; } = "language";
    public string PropertySource { get; set; } = "source";
    public string SourceOption { get; set; } = "email";
}

public sealed class ConversationMessageConfig
{
    public string Limetype { get; set; } = "conversationmessage";
    public string PropertyMessage { get; set; } = "message";
    public string PropertyEmailEngineId { get; set; } = "emailengineid";
    public string PropertyUniqueId { get; set; } = "uniqueid";
    public string PropertyEmailId { get; set; } = "emailid";
    public string PropertyDate { get; set; } = "date";
    public string PropertySource { get; set; } = "source";
    public string RelationConversation { get; set; } = "conversation";
}

public sealed class FollowerConfig
{
    public string Limetype { get; set; } = "follower";
    public string PropertyName { get; set; } = "name";
    public string PropertyAddress { get; set; } = "email";
    public string PropertyParticipationLevel { get; set; } = "participationlevel";
    public string PropertyActive { get; set; } = "active";
    public string PropertySubscribed { get; set; } = "subscribed";
    public string RelationConversation { get; set; } = "conversation";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}

public sealed class MessageFollowerConfig
{
    public string Limetype { get; set; } = "messagefollower";
    public string PropertyParticipationLevel { get; set; } = "participationlevel";
    public string PropertyMessageId { get; set; } = "messageid";
    public string PropertyQueueId { get; set; } = "queueid";
    public string RelationFollower { get; set; } = "follower";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}

public sealed class DocumentConfig
{
    public string Limetype { get; set; } = "document";
    public string PropertyComment { get; set; } = "comment";
    public string PropertyType { get; set; } = "type";
    public string DocumentType { get; set; } = "other";
    public string PropertyDocument { get; set; } = "document";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}

public sealed class EmbeddedFileConfig
{
    public string Limetype { get; set; } = "embeddedfile";
    public string PropertyDocument { get; set; } = "document";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}
