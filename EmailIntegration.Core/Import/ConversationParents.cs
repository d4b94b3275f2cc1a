using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>A conversation's parents (a ticket...) as the runtime configuration maps them from its first message, or as a known conversation has them.</summary>
internal static class ConversationParents
{
    /// <summary>
    /// Creates a new conversation with its parents: those it points to first, so it is created
    /// complete, then those that point to it. Gives the conversation's id and the parents.
    /// </summary>
    public static async Task<(long ConversationId, List<(ConversationParentConfig Config, long Id)> Parents)> CreateWithConversationAsync(
        ObjectSession session, IncomingContext context, Dictionary<string, object?> conversation, List<string> notes, CancellationToken cancellationToken)
    {
        var parents = new List<(ConversationParentConfig Config, long Id)>();
        var mapping = context.Configuration.ParentsFor(context.AccountId).ToList();
        Func<string, object?> first = name => MessageValue(context, name);
        foreach (var (parent, parentId) in await ParentMapping.CreateAsync(session, mapping, first, null, notes, cancellationToken))
        {
            parents.Add((parent, parentId));
            conversation[session.Schema.Get(parent.Limetype).Find(parent.RelationConversation)!.InverseProperty!] = parentId;
        }

        var conversationId = await session.CreateAsync(context.Configuration.Conversation.Limetype, conversation, cancellationToken);
        parents.AddRange(await ParentMapping.CreateAsync(session, mapping, first, conversationId, notes, cancellationToken));
        return (conversationId, parents);
    }

    /// <summary>The guide's message properties of the message being imported, for the parent mapping.</summary>
    private static object? MessageValue(IncomingContext context, string name)
    {
        var m = context.Message;
        return name switch
        {
            "subject" => m.Subject,
            "plainText" => m.PlainText,
            "htmlBody" => m.HtmlBody,
            "fromAddress" => m.From?.Address,
            "fromName" => m.From?.Name,
            "toAddresses" => string.Join(", ", m.To.Select(a => a.Address)),
            "ccAddresses" => string.Join(", ", m.Cc.Select(a => a.Address)),
            "date" => m.Date,
            "messageId" => m.MessageId,
            "accountAddress" => context.AccountAddress,
            "language" => m.Language,
            _ => null,
        };
    }

    /// <summary>The parents a known conversation points to, for its new documents.</summary>
    public static List<(ConversationParentConfig Config, long Id)> Of(ObjectSession session, IncomingContext context, LimeObject conversation)
    {
        var result = new List<(ConversationParentConfig, long)>();
        foreach (var parent in context.Configuration.ParentsFor(context.AccountId))
        {
            var relation = session.Schema.Get(parent.Limetype).Find(parent.RelationConversation);
            if (relation?.Type == PropertyType.HasMany && relation.InverseProperty is { } inverse && conversation[inverse] is long parentId)
            {
                result.Add((parent, parentId));
            }
        }

        return result;
    }
}
