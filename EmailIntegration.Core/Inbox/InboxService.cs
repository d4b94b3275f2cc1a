using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Inbox;

/// <summary>What the list of a conversation parent does beyond any list: newest activity first, and "Search all mail".</summary>
public sealed class InboxService(SettingsStore settings, SchemaService schemaService)
{
    /// <summary>The inbox shape of a limetype's list, or null when no conversation hangs on it.</summary>
    public async Task<InboxList?> ForAsync(string limetype, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        if (c.ConversationParents.FirstOrDefault(p => p.Limetype == limetype) is not { } parent)
        {
            return null;
        }

        var schema = await schemaService.GetAsync(cancellationToken);
        if (schema.Find(limetype) is not { } type
            || type.Find(parent.RelationConversation) is not { Type: PropertyType.HasMany or PropertyType.BelongsTo } toConversation
            || toConversation.RelatedLimetype != c.Conversation.Limetype)
        {
            return null;
        }

        return new InboxList(limetype, toConversation.Name, LastActivity.IsKept(type));
    }

    /// <summary>Newest activity first where the list keeps one, else newest created first.</summary>
    public static OrderBy DefaultOrder(InboxList? list) =>
        list is { KeepsLastActivity: true } ? new OrderBy(LastActivity.Property, Descending: true) : new OrderBy(CrmSchema.CreatedKey, Descending: true);

    /// <summary>The records whose mail holds all the words typed; null when the text has no word to search for.</summary>
    public static MessageMatch? Match(InboxList list, string? text) =>
        MailSearchQuery.ToExpression(text) is { } expression ? new MessageMatch(list.ConversationPath, expression) : null;
}
