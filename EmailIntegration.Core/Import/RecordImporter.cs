using System.Net;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>
/// The built-in handler: threads the message, creates the conversation and its parents when the
/// thread is new, the message, its followers and message followers, documents and embedded files.
/// </summary>
public sealed class RecordImporter : IIncomingMessageHandler
{
    /// <summary>The document type of an attached email (an .eml file), beside the runtime configuration's type for other files.</summary>
    public const string EmailDocumentType = "email";

    public string Name => ApplicationConfiguration.BuiltInHandler;

    public async Task<HandlerResult> HandleAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var m = context.Message;
        var notes = new List<string>();

        var thread = await ConversationThreading.FindThreadAsync(session, context, cancellationToken);
        var isNew = thread is null;
        List<(ConversationParentConfig Config, long Id)> parents;
        long conversationId;
        if (thread is null)
        {
            // A new conversation starts with this message as its reply target and earliest unread.
            var values = new Dictionary<string, object?>
            {
                [c.Conversation.PropertyThreadId] = m.MessageId ?? context.UniqueId,
                [c.Conversation.PropertySubject] = Truncate(m.Subject, 1000),
                [c.Conversation.PropertyAddress] = context.AccountAddress,
                [c.Conversation.PropertyFirstMessageDate] = m.Date,
                [c.Conversation.PropertyLanguage] = m.Language,
                [c.Conversation.PropertySource] = c.Conversation.SourceOption,
                [c.Conversation.PropertyEarliestUnread] = m.Date,
            };
            if (m.MessageId is not null)
            {
                values[c.Conversation.PropertyReplyToId] = m.MessageId;
            }

            (conversationId, parents) = await ConversationParents.CreateWithConversationAsync(session, context, values, notes, cancellationToken);
        }
        else
        {
            conversationId = thread.Id;
            parents = ConversationParents.Of(session, context, thread);
        }

        var messageId = await session.CreateAsync(c.ConversationMessage.Limetype, new Dictionary<string, object?>
        {
            [c.ConversationMessage.PropertyMessage] = Body(m),
            [c.ConversationMessage.PropertyEmailEngineId] = m.Ref.MailboxId,
            [c.ConversationMessage.PropertyUniqueId] = context.UniqueId,
            [c.ConversationMessage.PropertyEmailId] = m.MessageId,
            [c.ConversationMessage.PropertyDate] = m.Date,
            [c.ConversationMessage.PropertySource] = c.Conversation.SourceOption,
            [c.ConversationMessage.RelationConversation] = conversationId,
            ["subject"] = Truncate(m.Subject, 1000),
            ["fromaddress"] = m.From?.Address,
            ["fromname"] = m.From?.Name,
            ["incoming"] = true,
            ["isread"] = false,
            ["automatic"] = m.AutomaticReason is not null,
            ["signed"] = m.Signature is not null,
            [ImportService.ContentHashProperty] = context.ContentFingerprint,
        }.Where(kv => session.Schema.Get(c.ConversationMessage.Limetype).Find(kv.Key) is not null).ToDictionary(), cancellationToken);

        if (thread is not null)
        {
            await ConversationThreading.UpdateConversationAsync(session, c, thread, m, cancellationToken);
        }

        await MessageFollowers.AddAsync(session, context, conversationId, isNew, messageId, notes, cancellationToken);
        await MessageDocuments.AddAsync(session, context, messageId, parents, cancellationToken);
        return new HandlerResult(conversationId, messageId, notes);
    }

    /// <summary>The message as HTML: its own HTML part, or the plain text escaped with its line breaks kept.</summary>
    private static string Body(Mail.IncomingMessage m) =>
        m.HtmlBody ?? $"<div style=\"white-space: pre-wrap\">{WebUtility.HtmlEncode(m.TextBody ?? "")}</div>";

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
