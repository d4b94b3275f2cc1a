using System.Text.Json;
using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Settings;

/// <summary>
/// The configuration guide's helpdesk mapping, the one most installs start with: a ticket per new
/// conversation, its subject and description from the first message, the sender's person (and their
/// company and mobile phone), the sender's address, source "email", attachments linked to the ticket.
/// </summary>
public static class StandardMapping
{
    public const string Limetype = "helpdesk";

    // Keys without a value are left out, as the guide writes the entry.
    private static readonly JsonSerializerOptions EntryJson = new(RuntimeConfiguration.JsonOptions)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static ConversationParentConfig Helpdesk(Guid accountId) => new()
    {
        Limetype = Limetype,
        Accounts = [accountId.ToString()],
        RelationConversation = "conversation",
        RelationDocument = "document",
        Properties =
        [
            new() { Property = "subject", MessageProperty = "subject" },
            new() { Property = "description", MessageProperty = "plainText" },
            new() { Property = "person", MessageProperty = "fromAddress", SearchPath = "person.email" },
            new() { Property = "company", SearchPath = "person.company" },
            new() { Property = "email", MessageProperty = "fromAddress" },
            new() { Property = "source", Default = JsonSerializer.SerializeToElement("email") },
            new() { Property = "phone", SearchPath = "person.mobilephone" },
        ],
    };

    /// <summary>
    /// The runtime configuration's JSON with the account added to the helpdesk mapping: into the first
    /// helpdesk entry when there is one, else as a new entry. The rest of the JSON is kept as it was.
    /// </summary>
    public static string AddAccount(string json, Guid accountId)
    {
        var root = JsonNode.Parse(json, documentOptions: new() { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }) as JsonObject
            ?? throw new JsonException("The runtime configuration is not a JSON object.");
        if (root["conversationParents"] is not JsonArray parents)
        {
            root["conversationParents"] = parents = [];
        }

        var existing = parents.OfType<JsonObject>().FirstOrDefault(p => p["limetype"]?.GetValueKind() == JsonValueKind.String && p["limetype"]!.GetValue<string>() == Limetype);
        if (existing is null)
        {
            parents.Add(JsonSerializer.SerializeToNode(Helpdesk(accountId), EntryJson));
        }
        else
        {
            if (existing["accounts"] is not JsonArray accounts)
            {
                existing["accounts"] = accounts = [];
            }

            if (!accounts.Any(a => a?.GetValueKind() == JsonValueKind.String && Guid.TryParse(a.GetValue<string>(), out var id) && id == accountId))
            {
                accounts.Add(accountId.ToString());
            }
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
