using System.Text.Json;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Settings;

/// <summary>
/// Parses a runtime configuration and checks it against the schema and the accounts: every
/// limetype, property and relation named must exist with a fitting type, every account must exist.
/// </summary>
public static class RuntimeConfigurationValidator
{
    public static (RuntimeConfiguration? Configuration, IReadOnlyList<ConfigurationError> Errors) Parse(
        string json, CrmSchema schema, IReadOnlySet<Guid> accountIds)
    {
        RuntimeConfiguration? configuration;
        try
        {
            configuration = JsonSerializer.Deserialize<RuntimeConfiguration>(json, RuntimeConfiguration.JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is { Length: > 0 } p ? p.TrimStart('$', '.') : "";
            var line = ex.LineNumber is { } l ? $" (line {l + 1})" : "";
            var what = ex.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? "this key is not part of the runtime configuration; check its spelling."
                : $"not valid here{line}: {FirstSentence(ex.Message)}";
            return (null, [new ConfigurationError(where.Length == 0 ? "(root)" : where, what)]);
        }

        if (configuration is null)
        {
            return (null, [new ConfigurationError("(root)", "the configuration is empty; it must be a JSON object.")]);
        }

        var errors = Validate(configuration, schema, accountIds);
        return (errors.Count == 0 ? configuration : null, errors);
    }

    public static IReadOnlyList<ConfigurationError> Validate(RuntimeConfiguration c, CrmSchema schema, IReadOnlySet<Guid> accountIds)
    {
        var e = new Checker(schema);

        var conversation = e.Limetype("conversation.limetype", c.Conversation.Limetype);
        e.Property("conversation.propertyThreadId", conversation, c.Conversation.PropertyThreadId, PropertyType.Text);
        e.Property("conversation.propertyReplyToId", conversation, c.Conversation.PropertyReplyToId, PropertyType.Text);
        e.Property("conversation.propertyEarliestUnread", conversation, c.Conversation.PropertyEarliestUnread, PropertyType.Time);
        e.Property("conversation.propertySubject", conversation, c.Conversation.PropertySubject, PropertyType.Text);
        e.Property("conversation.propertyAddress", conversation, c.Conversation.PropertyAddress, PropertyType.Text);
        e.Property("conversation.propertyFirstMessageDate", conversation, c.Conversation.PropertyFirstMessageDate, PropertyType.Time);
        e.Property("conversation.propertyLanguage", conversation, c.Conversation.PropertyLanguage, PropertyType.Text);
        e.Option("conversation.sourceOption", e.Property("conversation.propertySource", conversation, c.Conversation.PropertySource, PropertyType.Option), c.Conversation.SourceOption);

        var message = e.Limetype("conversationMessage.limetype", c.ConversationMessage.Limetype);
        e.Property("conversationMessage.propertyMessage", message, c.ConversationMessage.PropertyMessage, PropertyType.Text);
        e.Property("conversationMessage.propertyEmailEngineId", message, c.ConversationMessage.PropertyEmailEngineId, PropertyType.Text);
        e.Property("conversationMessage.propertyUniqueId", message, c.ConversationMessage.PropertyUniqueId, PropertyType.Text);
        e.Property("conversationMessage.propertyEmailId", message, c.ConversationMessage.PropertyEmailId, PropertyType.Text);
        e.Property("conversationMessage.propertyDate", message, c.ConversationMessage.PropertyDate, PropertyType.Time);
        e.Property("conversationMessage.propertySource", message, c.ConversationMessage.PropertySource, PropertyType.Option);
        e.BelongsTo("conversationMessage.relationConversation", message, c.ConversationMessage.RelationConversation, conversation);

        var follower = e.Limetype("follower.limetype", c.Follower.Limetype);
        e.Property("follower.propertyName", follower, c.Follower.PropertyName, PropertyType.Text);
        e.Property("follower.propertyAddress", follower, c.Follower.PropertyAddress, PropertyType.Text);
        e.Property("follower.propertyParticipationLevel", follower, c.Follower.PropertyParticipationLevel, PropertyType.Option);
        e.Property("follower.propertyActive", follower, c.Follower.PropertyActive, PropertyType.YesNo);
        e.Property("follower.propertySubscribed", follower, c.Follower.PropertySubscribed, PropertyType.YesNo);
        e.BelongsTo("follower.relationConversation", follower, c.Follower.RelationConversation, conversation);
        e.BelongsTo("follower.relationConversationMessage", follower, c.Follower.RelationConversationMessage, message);

        var messageFollower = e.Limetype("messageFollower.limetype", c.MessageFollower.Limetype);
        e.Property("messageFollower.propertyParticipationLevel", messageFollower, c.MessageFollower.PropertyParticipationLevel, PropertyType.Option);
        e.Property("messageFollower.propertyMessageId", messageFollower, c.MessageFollower.PropertyMessageId, PropertyType.Text);
        e.Property("messageFollower.propertyQueueId", messageFollower, c.MessageFollower.PropertyQueueId, PropertyType.Text);
        e.BelongsTo("messageFollower.relationFollower", messageFollower, c.MessageFollower.RelationFollower, follower);
        e.BelongsTo("messageFollower.relationConversationMessage", messageFollower, c.MessageFollower.RelationConversationMessage, message);

        var document = e.Limetype("document.limetype", c.Document.Limetype);
        e.Property("document.propertyComment", document, c.Document.PropertyComment, PropertyType.Text);
        e.Option("document.documentType", e.Property("document.propertyType", document, c.Document.PropertyType, PropertyType.Option), c.Document.DocumentType);
        e.Property("document.propertyDocument", document, c.Document.PropertyDocument, PropertyType.File);
        e.BelongsTo("document.relationConversationMessage", document, c.Document.RelationConversationMessage, message);

        var embedded = e.Limetype("embeddedFile.limetype", c.EmbeddedFile.Limetype);
        e.Property("embeddedFile.propertyDocument", embedded, c.EmbeddedFile.PropertyDocument, PropertyType.File);
        e.BelongsTo("embeddedFile.relationConversationMessage", embedded, c.EmbeddedFile.RelationConversationMessage, message);

        for (var i = 0; i < c.FollowerParents.Count; i++)
        {
            var path = $"followerParents[{i}]";
            var parent = c.FollowerParents[i];
            var type = e.Limetype(path + ".limetype", parent.Limetype);
            e.Property(path + ".propertyAddress", type, parent.PropertyAddress, PropertyType.Text);
            e.Property(path + ".propertyName", type, parent.PropertyName, PropertyType.Text);
            e.Relation(path + ".relationFollower", type, parent.RelationFollower, follower);
        }

        for (var i = 0; i < c.ConversationParents.Count; i++)
        {
            ValidateParent(e, $"conversationParents[{i}]", c.ConversationParents[i], conversation, document, accountIds);
        }

        return e.Errors;
    }

    private static void ValidateParent(
        Checker e, string path, ConversationParentConfig parent, Limetype? conversation, Limetype? document, IReadOnlySet<Guid> accountIds)
    {
        var type = e.Limetype(path + ".limetype", parent.Limetype);
        if (parent.Accounts.Count == 0)
        {
            e.Add(path + ".accounts", "list at least one account id (see the Accounts tab).");
        }

        for (var j = 0; j < parent.Accounts.Count; j++)
        {
            if (!Guid.TryParse(parent.Accounts[j], out var id) || !accountIds.Contains(id))
            {
                e.Add($"{path}.accounts[{j}]", $"\"{parent.Accounts[j]}\" is not the id of an account; copy the id from the Accounts tab.");
            }
        }

        e.Relation(path + ".relationConversation", type, parent.RelationConversation, conversation);
        if (parent.RelationDocument is { Length: > 0 } relationDocument)
        {
            e.Relation(path + ".relationDocument", type, relationDocument, document);
        }

        for (var j = 0; j < parent.Properties.Count; j++)
        {
            var p = parent.Properties[j];
            var at = $"{path}.properties[{j}]";
            var target = e.Property(at + ".property", type, p.Property, null);
            if (p.MessageProperty is { } messageProperty && !MessageProperties.All.Contains(messageProperty))
            {
                e.Add(at + ".messageProperty", $"\"{messageProperty}\" is not a message value; use one of {string.Join(", ", MessageProperties.All)}.");
            }

            if (p.SearchPath is { Length: > 0 } searchPath && type is not null)
            {
                var segments = searchPath.Split('.');
                var relation = segments.Length == 2 ? type.Find(segments[0]) : null;
                var related = relation?.Type == PropertyType.BelongsTo ? e.Schema.Find(relation.RelatedLimetype!) : null;
                var end = related?.Find(segments[1]);
                if (segments.Length != 2 || related is null || end is null)
                {
                    e.Add(at + ".searchPath", $"\"{searchPath}\" must be RELATION.PROPERTY, where RELATION is a relation of {type.Name} to one record and PROPERTY a property of that record.");
                }
                else if (p.MessageProperty is not null && target is not null && target.Name != relation!.Name)
                {
                    e.Add(at + ".property", $"a lookup through {relation!.Name} sets the relation itself: write \"property\": \"{relation.Name}\".");
                }
                else if (p.MessageProperty is null && target is not null && !Fits(target, end))
                {
                    e.Add(at + ".searchPath", $"{searchPath} is {Describe(end)} and cannot fill {target.Name}, which is {Describe(target)}.");
                }
            }
            else if (p.MessageProperty is null && p.Default is null)
            {
                e.Add(at, "give a messageProperty, a searchPath or a default.");
            }

            if (p.Default is { } value && target is not null && target.Type == PropertyType.Option)
            {
                e.Option(at + ".default", target, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString());
            }
        }
    }

    private static bool Fits(LimeProperty target, LimeProperty source) =>
        target.Type == PropertyType.BelongsTo
            ? source.Type == PropertyType.BelongsTo && source.RelatedLimetype == target.RelatedLimetype
            : source.Type is not (PropertyType.BelongsTo or PropertyType.HasMany);

    private static string Describe(LimeProperty p) => p.Type switch
    {
        PropertyType.BelongsTo => $"a relation to {p.RelatedLimetype}",
        PropertyType.HasMany => $"a list of {p.RelatedLimetype}",
        _ => $"a {p.Type.ToString().ToLowerInvariant()} property",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path", StringComparison.Ordinal);
        return end > 0 ? message[..end] + "." : message;
    }

    private sealed class Checker(CrmSchema schema)
    {
        public CrmSchema Schema { get; } = schema;

        public List<ConfigurationError> Errors { get; } = [];

        public void Add(string path, string message) => Errors.Add(new ConfigurationError(path, message));

        public Limetype? Limetype(string path, string name)
        {
            var type = Schema.Find(name ?? "");
            if (type is null)
            {
                Add(path, $"there is no limetype \"{name}\"; add it under Settings › Limetypes or use one of {string.Join(", ", Schema.Limetypes.Keys.Order())}.");
            }

            return type;
        }

        public LimeProperty? Property(string path, Limetype? type, string name, PropertyType? expected)
        {
            if (type is null)
            {
                return null;
            }

            var property = type.Find(name ?? "");
            if (property is null)
            {
                Add(path, $"{type.Name} has no property \"{name}\".");
                return null;
            }

            if (expected is { } kind && property.Type != kind)
            {
                Add(path, $"{type.Name}.{name} is {Describe(property)}; this needs a {kind.ToString().ToLowerInvariant()} property.");
                return null;
            }

            return property;
        }

        public void BelongsTo(string path, Limetype? type, string name, Limetype? target)
        {
            var property = Property(path, type, name, PropertyType.BelongsTo);
            if (property is not null && target is not null && property.RelatedLimetype != target.Name)
            {
                Add(path, $"{type!.Name}.{name} relates to {property.RelatedLimetype}, not {target.Name}.");
            }
        }

        /// <summary>A relation either way between two limetypes (belongs-to or has-many).</summary>
        public void Relation(string path, Limetype? type, string name, Limetype? target)
        {
            var property = Property(path, type, name, null);
            if (property is null || target is null)
            {
                return;
            }

            if (!property.Type.IsRelation() || property.RelatedLimetype != target.Name)
            {
                Add(path, $"{type!.Name}.{name} must be a relation to {target.Name}; it is {Describe(property)}.");
            }
        }

        public void Option(string path, LimeProperty? property, string key)
        {
            if (property is not null && !property.HasOption(key))
            {
                Add(path, $"\"{key}\" is not an option of {property.Limetype}.{property.Name}; use one of {string.Join(", ", property.Options.Select(o => o.Key))}.");
            }
        }
    }
}
