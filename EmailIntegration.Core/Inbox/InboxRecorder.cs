using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// What a new message changes beyond its own records, in the transaction that stores it: the last
/// activity of its conversation and parents, and the search index. The import and replies call it.
/// </summary>
public sealed class InboxRecorder(IMailSearchIndex index, TimeProvider clock)
{
    public async Task RecordAsync(
        ObjectSession session, RuntimeConfiguration c, long conversationId, long messageId, DateTimeOffset date, MailSearchText text,
        CancellationToken cancellationToken)
    {
        // A Date header in the future (a wrong clock, or a sender who wants to stay on top) counts as now.
        var now = clock.GetUtcNow();
        await LastActivity.TouchAsync(session, c.Conversation.Limetype, conversationId, (date > now ? now : date).UtcDateTime, cancellationToken);
        await index.AddAsync(session, messageId, conversationId, text, cancellationToken);
    }

    /// <summary>An imported message, once a handler has stored it (a handler that stored no message changes nothing here).</summary>
    public Task RecordAsync(ObjectSession session, IncomingContext context, HandlerResult result, CancellationToken cancellationToken)
    {
        if (result.ConversationId is not { } conversationId || result.MessageRecordId is not { } messageId)
        {
            return Task.CompletedTask;
        }

        var m = context.Message;
        var text = new MailSearchText(m.Subject, m.PlainText, m.From?.Name, m.From?.Address,
            context.Attachments.Select(a => a.Attachment.FileName).ToList());
        return RecordAsync(session, context.Configuration, conversationId, messageId, m.Date, text, cancellationToken);
    }

    /// <summary>A message stored as HTML (an agent's reply, or one indexed afterwards), as the text the index holds.</summary>
    public static string? BodyText(string? html) => string.IsNullOrEmpty(html) ? html : HtmlText.Convert(html);
}
