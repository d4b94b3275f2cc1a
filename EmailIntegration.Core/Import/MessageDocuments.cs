using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>A message's attachments as records: documents (on the message and its conversation's parents), and embedded files its HTML shows.</summary>
internal static class MessageDocuments
{
    public static async Task AddAsync(
        ObjectSession session, IncomingContext context, long messageId, List<(ConversationParentConfig Config, long Id)> parents, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var html = context.Message.HtmlBody;
        var rewritten = false;
        // An attached email is a document of the type "email" where the schema has it, so the thread can show it as a message.
        var emailType = session.Schema.Get(c.Document.Limetype).Find(c.Document.PropertyType)?.HasOption(RecordImporter.EmailDocumentType) == true;
        foreach (var file in context.Attachments)
        {
            var referenced = file.Attachment.ContentId is { } cid && html is not null
                && html.Contains("cid:" + cid, StringComparison.OrdinalIgnoreCase);
            if (file.Attachment.IsInline && referenced)
            {
                var embeddedId = await session.CreateAsync(c.EmbeddedFile.Limetype, new Dictionary<string, object?>
                {
                    [c.EmbeddedFile.PropertyDocument] = file.Key,
                    ["contentid"] = file.Attachment.ContentId,
                    [c.EmbeddedFile.RelationConversationMessage] = messageId,
                }.Where(kv => session.Schema.Get(c.EmbeddedFile.Limetype).Find(kv.Key) is not null).ToDictionary(), cancellationToken);
                html = html!.Replace("cid:" + file.Attachment.ContentId, $"/files/{c.EmbeddedFile.Limetype}/{embeddedId}", StringComparison.OrdinalIgnoreCase);
                rewritten = true;
                continue;
            }

            var values = new Dictionary<string, object?>
            {
                [c.Document.PropertyComment] = file.Attachment.FileName,
                [c.Document.PropertyType] = file.Attachment.IsMessage && emailType ? RecordImporter.EmailDocumentType : c.Document.DocumentType,
                [c.Document.PropertyDocument] = file.Key,
                [c.Document.RelationConversationMessage] = messageId,
            };
            foreach (var (parent, parentId) in parents)
            {
                var relation = parent.RelationDocument is null ? null : session.Schema.Get(parent.Limetype).Find(parent.RelationDocument);
                if (relation?.Type == PropertyType.HasMany && relation.InverseProperty is { } inverse)
                {
                    values[inverse] = parentId;
                }
            }

            await session.CreateAsync(c.Document.Limetype, values, cancellationToken);
        }

        if (rewritten)
        {
            await session.UpdateAsync(c.ConversationMessage.Limetype, messageId,
                new Dictionary<string, object?> { [c.ConversationMessage.PropertyMessage] = html }, cancellationToken);
        }
    }
}
