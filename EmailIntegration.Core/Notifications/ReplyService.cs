using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;
using Markdig;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// An agent's reply from the browser: an outgoing conversation message (Markdown rendered to safe
/// HTML), its attachments as documents, new recipients as followers, and a notification event that
/// the outbox job turns into one email per recipient, all in one transaction.
/// </summary>
public sealed class ReplyService(
    ObjectStore store, SettingsStore settings, AccountService accounts, IFileStore files, IOutboxSignal signal, Inbox.InboxRecorder inbox, TimeProvider clock)
{
    /// <summary>A reply is a conversation, not a mailing.</summary>
    public const int MaxRecipients = 50;

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    /// <summary>Markdown as the HTML that is stored and sent; raw HTML in the text stays text.</summary>
    public static string RenderMarkdown(string markdown) => MessageHtml.Sanitize(Markdig.Markdown.ToHtml(markdown ?? "", Markdown)).Html;

    public async Task<ReplyResult> QueueAsync(ReplyRequest request, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(request.Markdown))
        {
            errors["message"] = "Write a message before sending.";
        }

        var recipients = request.Internal ? [] : request.Recipients.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var account = await accounts.GetAsync(request.AccountId, cancellationToken);
        var own = (await accounts.ListAsync(cancellationToken)).Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!request.Internal)
        {
            CheckRecipients(recipients, account, own, errors);
        }

        if (errors.Count > 0)
        {
            return new ReplyResult(null, errors);
        }

        var c = await settings.GetRuntimeAsync(cancellationToken);
        var application = await settings.GetApplicationAsync(cancellationToken);
        var stored = new List<(string Key, string Name)>();
        try
        {
            var limit = application.AttachmentMaxSizeMb * 1024L * 1024L;
            long total = 0;
            foreach (var upload in request.Attachments)
            {
                var key = await files.SaveAsync(upload.FileName, upload.WriteToAsync, cancellationToken);
                stored.Add((key, upload.FileName));
                await using var check = await files.OpenAsync(key, cancellationToken);
                total += check?.Length ?? 0;
            }

            if (total > limit)
            {
                throw new ReplyRefusedException("attachments", $"The attachments come to {total / 1024.0 / 1024.0:0.0} MB; at most {application.AttachmentMaxSizeMb} MB (attachment_max_size_mb) can be sent.");
            }

            // The history says which person sent it.
            await using var session = await store.OpenAsync(request.AgentAddress ?? request.AgentName, cancellationToken);
            var conversation = await session.GetAsync(c.Conversation.Limetype, request.ConversationId, cancellationToken)
                ?? throw new ReplyRefusedException("conversation", "The conversation was deleted.");
            if (!request.Internal && conversation.Text(c.Conversation.PropertyAddress) is { Length: > 0 } conversationAccount
                && !string.Equals(conversationAccount, account!.EmailAddress, StringComparison.OrdinalIgnoreCase))
            {
                // Answers to another shared address would start a new conversation there.
                throw new ReplyRefusedException("account", $"Reply from {conversationAccount}, the address this conversation came in on, so the answers come back to it.");
            }

            var subject = conversation.Text(c.Conversation.PropertySubject) ?? "";
            var now = clock.GetUtcNow();
            // A note has no Message-ID: it is never sent, so nothing can answer it.
            var emailId = request.Internal ? null : NotificationDispatcher.NewMessageId(account!.EmailAddress);
            var messageType = session.Schema.Get(c.ConversationMessage.Limetype);
            var html = RenderMarkdown(request.Markdown);
            var messageId = await session.CreateAsync(c.ConversationMessage.Limetype, new Dictionary<string, object?>
            {
                [c.ConversationMessage.PropertyMessage] = html,
                [c.ConversationMessage.PropertyUniqueId] = request.Internal ? $"note:{Guid.NewGuid():N}" : $"reply:{emailId}",
                [c.ConversationMessage.PropertyEmailId] = emailId,
                [c.ConversationMessage.PropertyDate] = now,
                [c.ConversationMessage.PropertySource] = c.Conversation.SourceOption,
                [c.ConversationMessage.RelationConversation] = request.ConversationId,
                ["subject"] = NotificationDispatcher.ReplySubject(subject),
                ["fromaddress"] = request.Internal ? request.AgentAddress : account!.EmailAddress,
                ["fromname"] = request.AgentName,
                ["incoming"] = false,
                ["isread"] = true,
                ["automatic"] = false,
                [ConversationService.InternalNoteProperty] = request.Internal,
            }.Where(kv => messageType.Find(kv.Key) is not null).ToDictionary(), cancellationToken);

            var followers = await session.QueryAsync(new LimeQuery(c.Follower.Limetype)
            {
                Filter = Filter.Eq(c.Follower.RelationConversation, request.ConversationId),
                Limit = 500,
            }, QueryContext.Anonymous, cancellationToken);
            foreach (var address in recipients)
            {
                var existing = followers.FirstOrDefault(f => string.Equals(f.GetValueOrDefault(c.Follower.PropertyAddress) as string, address, StringComparison.OrdinalIgnoreCase));
                if (existing is not null)
                {
                    // Chosen again: back in the conversation.
                    await session.UpdateAsync(c.Follower.Limetype, existing.Id, new Dictionary<string, object?> { [c.Follower.PropertyActive] = true }, cancellationToken);
                    continue;
                }

                await AddFollowerAsync(session, c, request.ConversationId, messageId, address, "to", subscribed: true, cancellationToken);
            }

            // The agent took part: what the customer answers reaches them (they can stop it from the follower chip).
            if (!request.Internal && request.AgentAddress is { Length: > 0 } agent && !own.Contains(agent)
                && !followers.Any(f => string.Equals(f.GetValueOrDefault(c.Follower.PropertyAddress) as string, agent, StringComparison.OrdinalIgnoreCase))
                && !recipients.Contains(agent, StringComparer.OrdinalIgnoreCase))
            {
                await AddFollowerAsync(session, c, request.ConversationId, messageId, agent, ConversationService.AgentLevel, subscribed: true, cancellationToken, request.AgentName);
            }

            var parents = ParentLinks(session, c, conversation, request.AccountId);
            // Whoever answers has read the conversation, and takes the ticket if nobody has it.
            await ConversationUpkeep.SetReadAsync(session, c, request.ConversationId, null, read: true, cancellationToken);
            var coworker = request.AgentUserId is { Length: > 0 } userId
                ? await ConversationUpkeep.CoworkerAsync(session, new AgentIdentity(userId, request.AgentName, request.AgentAddress), cancellationToken)
                : null;
            await ConversationUpkeep.UpdateParentsAsync(session, c, conversation, coworker, request.SetStatus, cancellationToken);
            foreach (var (key, name) in stored)
            {
                var values = new Dictionary<string, object?>
                {
                    [c.Document.PropertyComment] = name,
                    [c.Document.PropertyType] = c.Document.DocumentType,
                    [c.Document.PropertyDocument] = key,
                    [c.Document.RelationConversationMessage] = messageId,
                };
                foreach (var (inverse, parentId) in parents)
                {
                    values[inverse] = parentId;
                }

                await session.CreateAsync(c.Document.Limetype, values, cancellationToken);
            }

            // Notes count as activity and are found by search, for staff, like any message.
            await inbox.RecordAsync(session, c, request.ConversationId, messageId, now,
                new Inbox.MailSearchText(NotificationDispatcher.ReplySubject(subject), Inbox.InboxRecorder.BodyText(html), request.AgentName,
                    request.Internal ? request.AgentAddress ?? "" : account!.EmailAddress, stored.Select(s => s.Name).ToList()), cancellationToken);
            if (request.Internal)
            {
                await session.CommitAsync(cancellationToken);
                return new ReplyResult(messageId, new Dictionary<string, string>());
            }

            await session.UpdateAsync(c.Conversation.Limetype, request.ConversationId, new Dictionary<string, object?> { [c.Conversation.PropertyReplyToId] = emailId }, cancellationToken);
            await session.AddRecordsAsync([new NotificationEvent
            {
                AccountId = request.AccountId,
                Kind = NotificationEventKind.AgentReply,
                ConversationId = request.ConversationId,
                MessageRecordId = messageId,
                AuthorAddress = account!.EmailAddress,
                AuthorName = request.AgentName,
                Recipients = string.Join('\n', recipients),
                CreatedUtc = now.UtcDateTime,
            }], cancellationToken);
            await session.CommitAsync(cancellationToken);
            signal.Wake();
            return new ReplyResult(messageId, new Dictionary<string, string>());
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var (key, _) in stored)
            {
                await files.DeleteAsync(key, CancellationToken.None);
            }

            if (ex is ReplyRefusedException refused)
            {
                return new ReplyResult(null, new Dictionary<string, string> { [refused.Field] = refused.Message });
            }

            throw;
        }
    }

    private static void CheckRecipients(List<string> recipients, MailAccountSummary? account, HashSet<string> own, Dictionary<string, string> errors)
    {
        if (recipients.Count == 0)
        {
            errors["recipients"] = "Choose at least one recipient.";
        }
        else if (recipients.Count > MaxRecipients)
        {
            errors["recipients"] = $"At most {MaxRecipients} recipients per reply; this one has {recipients.Count}.";
        }

        var invalid = recipients.Where(r => !System.Net.Mail.MailAddress.TryCreate(r, out var parsed) || parsed.Address != r).ToList();
        if (invalid.Count > 0)
        {
            errors["recipients"] = $"Not an email address: {string.Join(", ", invalid)}.";
        }

        if (account is null)
        {
            errors["account"] = "Choose the account to send from.";
        }

        if (recipients.FirstOrDefault(own.Contains) is { } shared)
        {
            errors["recipients"] = $"{shared} is one of the shared mailboxes; it already gets the conversation.";
        }
    }

    private static async Task AddFollowerAsync(
        ObjectSession session, RuntimeConfiguration c, long conversationId, long messageId, string address, string level, bool subscribed,
        CancellationToken cancellationToken, string? knownName = null)
    {
        var followerType = session.Schema.Get(c.Follower.Limetype);
        var values = new Dictionary<string, object?>
        {
            [c.Follower.PropertyAddress] = address,
            [c.Follower.PropertyParticipationLevel] = level,
            [c.Follower.PropertyActive] = true,
            [c.Follower.PropertySubscribed] = subscribed,
            [c.Follower.RelationConversation] = conversationId,
            [c.Follower.RelationConversationMessage] = messageId,
        };
        string? name = knownName;
        foreach (var parent in c.FollowerParents)
        {
            var matches = await session.FindAsync(parent.Limetype, parent.PropertyAddress, address, 1, cancellationToken);
            var match = matches.Count > 0 ? matches[0] : null;
            var relation = session.Schema.Get(parent.Limetype).Find(parent.RelationFollower);
            if (match is not null && relation?.Type == PropertyType.HasMany && relation.InverseProperty is { } inverse && followerType.Find(inverse) is not null)
            {
                values[inverse] = match.Id;
                name ??= match.Text(parent.PropertyName);
            }
        }

        values[c.Follower.PropertyName] = name ?? address;
        await session.CreateAsync(c.Follower.Limetype, values, cancellationToken);
    }

    /// <summary>The document relations to the conversation's parents (a reply's attachments belong to the ticket too).</summary>
    private static List<(string Inverse, long ParentId)> ParentLinks(ObjectSession session, RuntimeConfiguration c, LimeObject conversation, Guid accountId)
    {
        var links = new List<(string, long)>();
        foreach (var parent in c.ParentsFor(accountId))
        {
            var type = session.Schema.Get(parent.Limetype);
            var toConversation = type.Find(parent.RelationConversation);
            var toDocument = parent.RelationDocument is null ? null : type.Find(parent.RelationDocument);
            if (toConversation?.Type == PropertyType.HasMany && toConversation.InverseProperty is { } conversationInverse
                && conversation[conversationInverse] is long parentId
                && toDocument?.Type == PropertyType.HasMany && toDocument.InverseProperty is { } documentInverse)
            {
                links.Add((documentInverse, parentId));
            }
        }

        return links;
    }

    private sealed class ReplyRefusedException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
