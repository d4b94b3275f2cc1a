using System.Net;
using System.Runtime.CompilerServices;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;

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

        var thread = await FindThreadAsync(session, context, cancellationToken);
        var isNew = thread is null;
        var parents = new List<(ConversationParentConfig Config, long Id)>();
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

            // Parents the conversation points to (a ticket) exist first, so it is created complete.
            var mapping = context.Configuration.ParentsFor(context.AccountId).ToList();
            Func<string, object?> first = name => MessageValue(context, name);
            foreach (var (parent, parentId) in await ParentMapping.CreateAsync(session, mapping, first, null, notes, cancellationToken))
            {
                parents.Add((parent, parentId));
                values[session.Schema.Get(parent.Limetype).Find(parent.RelationConversation)!.InverseProperty!] = parentId;
            }

            conversationId = await session.CreateAsync(c.Conversation.Limetype, values, cancellationToken);
            parents.AddRange(await ParentMapping.CreateAsync(session, mapping, first, conversationId, notes, cancellationToken));
        }
        else
        {
            conversationId = thread.Id;
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
            await UpdateConversationAsync(session, c, thread, m, cancellationToken);
        }

        await AddFollowersAsync(session, context, conversationId, isNew, messageId, notes, cancellationToken);
        if (thread is not null)
        {
            parents = ParentsOf(session, context, thread);
        }

        await AddFilesAsync(session, context, messageId, parents, cancellationToken);
        return new HandlerResult(conversationId, messageId, notes);
    }

    /// <summary>Formats section 2: our own Message-IDs, In-Reply-To, then any References id; only within this account.</summary>
    private static async Task<LimeObject?> FindThreadAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var ids = context.Message.InReplyTo.Concat(context.Message.References.Reverse()).Where(id => id.Length > 0).Distinct().ToList();
        foreach (var id in ids)
        {
            // A reply to a notification we sent: its Message-ID is on a message follower.
            foreach (var sent in await session.FindAsync(c.MessageFollower.Limetype, c.MessageFollower.PropertyMessageId, id, 5, cancellationToken))
            {
                if (sent[c.MessageFollower.RelationConversationMessage] is long messageRecord
                    && await session.GetAsync(c.ConversationMessage.Limetype, messageRecord, cancellationToken) is { } notified
                    && await ConversationOfAsync(session, context, notified, cancellationToken) is { } viaNotification)
                {
                    return viaNotification;
                }
            }

            foreach (var earlier in await session.FindAsync(c.ConversationMessage.Limetype, c.ConversationMessage.PropertyEmailId, id, 5, cancellationToken))
            {
                if (await ConversationOfAsync(session, context, earlier, cancellationToken) is { } viaMessage)
                {
                    return viaMessage;
                }
            }
        }

        return null;
    }

    private static async Task<LimeObject?> ConversationOfAsync(ObjectSession session, IncomingContext context, LimeObject message, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        if (message[c.ConversationMessage.RelationConversation] is not long conversationId)
        {
            return null;
        }

        var conversation = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
        // Another shared mailbox's thread stays there; this account starts its own.
        return string.Equals(conversation?.Text(c.Conversation.PropertyAddress), context.AccountAddress, StringComparison.OrdinalIgnoreCase)
            ? conversation
            : null;
    }

    /// <summary>A reply into a known conversation: it becomes the reply target, and the earliest unread moves back if older.</summary>
    private static async Task UpdateConversationAsync(ObjectSession session, RuntimeConfiguration c, LimeObject conversation, Mail.IncomingMessage m, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, object?>();
        if (m.MessageId is not null)
        {
            values[c.Conversation.PropertyReplyToId] = m.MessageId;
        }

        var earliest = conversation[c.Conversation.PropertyEarliestUnread] as DateTime?;
        if (earliest is null || m.Date.UtcDateTime < earliest)
        {
            values[c.Conversation.PropertyEarliestUnread] = m.Date;
        }

        if (values.Count > 0)
        {
            await session.UpdateAsync(c.Conversation.Limetype, conversation.Id, values, cancellationToken);
        }
    }

    private static async Task AddFollowersAsync(
        ObjectSession session, IncomingContext context, long conversationId, bool isNewConversation, long messageId, List<string> notes, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var m = context.Message;
        var participants = new List<(Mail.MessageAddress Address, string Level)>();
        if (m.From is not null)
        {
            participants.Add((m.From, "from"));
        }

        participants.AddRange(m.To.Select(a => (a, "to")));
        participants.AddRange(m.Cc.Select(a => (a, "cc")));

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // The shared mailboxes themselves are the hub, never followers.
        participants = participants.Where(p => seen.Add(p.Address.Address) && !context.OwnAddresses.Contains(p.Address.Address)).ToList();
        if (participants.Count == 0)
        {
            return;
        }

        // One lookup for all participants: a conversation created just now has no followers yet.
        var existing = isNewConversation
            ? new Dictionary<string, List<LimeRow>>(TextKey.Comparer)
            : await LookupAsync(session, c.Follower.Limetype, c.Follower.PropertyAddress, participants.Select(p => p.Address.Address), [],
                Filter.Eq(c.Follower.RelationConversation, conversationId), cancellationToken);

        // Persons and coworkers of the new followers, one lookup per limetype, most recently updated first.
        var newAddresses = participants.Select(p => p.Address.Address).Where(a => !existing.ContainsKey(a)).ToList();
        var matchesByParent = new List<Dictionary<string, List<LimeRow>>>();
        var known = KnownParents.GetValue(session, _ => new Dictionary<string, List<LimeRow>>(TextKey.Comparer));
        foreach (var parent in c.FollowerParents)
        {
            var matches = new Dictionary<string, List<LimeRow>>(TextKey.Comparer);
            var unknown = newAddresses.Where(a => !known.ContainsKey(KnownKey(parent.Limetype, a))).ToList();
            var found = unknown.Count == 0
                ? matches
                : await LookupAsync(session, parent.Limetype, parent.PropertyAddress, unknown, [new Crm.Query.OrderBy(CrmSchema.UpdatedKey, Descending: true)], null, cancellationToken);
            foreach (var address in unknown)
            {
                known[KnownKey(parent.Limetype, address)] = found.GetValueOrDefault(address) ?? [];
            }

            foreach (var address in newAddresses)
            {
                if (known[KnownKey(parent.Limetype, address)] is { Count: > 0 } rows)
                {
                    matches[address] = rows;
                }
            }

            matchesByParent.Add(matches);
        }

        var followerType = session.Schema.Get(c.Follower.Limetype);
        foreach (var (address, level) in participants)
        {
            long followerId;
            if (existing.TryGetValue(address.Address, out var rows))
            {
                followerId = rows[0].Id;
                // Writing again brings a follower back into the conversation.
                if (level == "from" && rows[0][c.Follower.PropertyActive] is not true)
                {
                    await session.UpdateAsync(c.Follower.Limetype, followerId, new Dictionary<string, object?> { [c.Follower.PropertyActive] = true }, cancellationToken);
                }
            }
            else
            {
                var values = new Dictionary<string, object?>
                {
                    [c.Follower.PropertyName] = address.Name ?? address.Address,
                    [c.Follower.PropertyAddress] = address.Address,
                    [c.Follower.PropertyParticipationLevel] = level,
                    [c.Follower.PropertyActive] = true,
                    // Automatic senders (auto-replies, lists, bounces) follow, but are never notified.
                    [c.Follower.PropertySubscribed] = m.AutomaticReason is null,
                    [c.Follower.RelationConversation] = conversationId,
                    [c.Follower.RelationConversationMessage] = messageId,
                };
                for (var i = 0; i < c.FollowerParents.Count; i++)
                {
                    var parent = c.FollowerParents[i];
                    if (!matchesByParent[i].TryGetValue(address.Address, out var matches))
                    {
                        continue;
                    }

                    if (matches.Count > 1)
                    {
                        notes.Add($"{address.Address} matches several {parent.Limetype} records; the most recently updated was linked.");
                    }

                    var relation = session.Schema.Get(parent.Limetype).Find(parent.RelationFollower);
                    if (relation?.Type == PropertyType.HasMany && relation.InverseProperty is { } inverse && followerType.Find(inverse) is not null)
                    {
                        values[inverse] = matches[0].Id;
                    }
                }

                followerId = await session.CreateAsync(c.Follower.Limetype, values, cancellationToken);
            }

            await session.CreateAsync(c.MessageFollower.Limetype, new Dictionary<string, object?>
            {
                [c.MessageFollower.PropertyParticipationLevel] = level,
                [c.MessageFollower.RelationFollower] = followerId,
                [c.MessageFollower.RelationConversationMessage] = messageId,
            }, cancellationToken);
        }
    }

    // Persons and coworkers found by address, per transaction. The import never writes them, and a
    // transaction reads one snapshot of the database plus its own writes, so asking again for the
    // same address would return the same rows; a batch's senders and colleagues repeat often.
    private static readonly ConditionalWeakTable<ObjectSession, Dictionary<string, List<LimeRow>>> KnownParents = new();

    private static string KnownKey(string limetype, string address) => limetype + "\n" + address;

    /// <summary>
    /// The rows whose text property equals any of the values (as the column compares them:
    /// case-insensitively), grouped by that value in the query's order, optionally within a further filter.
    /// </summary>
    private static async Task<Dictionary<string, List<LimeRow>>> LookupAsync(
        ObjectSession session, string limetype, string property, IEnumerable<string> values, IReadOnlyList<Crm.Query.OrderBy> order,
        System.Text.Json.Nodes.JsonObject? within, CancellationToken cancellationToken)
    {
        const int limit = 10_000;
        var list = values.ToList();
        var byValue = new Dictionary<string, List<LimeRow>>(TextKey.Comparer);
        System.Text.Json.Nodes.JsonNode filter = Filter.In(property, list);
        if (within is not null)
        {
            filter = Filter.And(within, filter);
        }

        var rows = await session.QueryAsync(new Crm.Query.LimeQuery(limetype) { Filter = filter, Order = order, Limit = limit },
            Crm.Query.QueryContext.Anonymous, cancellationToken);
        if (rows.Count == limit)
        {
            // Too many to take in one page: the first few per value, one value at a time.
            var each = new List<Crm.Objects.LimeRow>();
            foreach (var value in list)
            {
                System.Text.Json.Nodes.JsonNode single = Filter.Eq(property, value);
                if (within is not null)
                {
                    single = Filter.And(within, single);
                }

                each.AddRange(await session.QueryAsync(new Crm.Query.LimeQuery(limetype) { Filter = single, Order = order, Limit = 2 },
                    Crm.Query.QueryContext.Anonymous, cancellationToken));
            }

            rows = each;
        }

        foreach (var row in rows)
        {
            if (row[property] is string key)
            {
                if (!byValue.TryGetValue(key, out var group))
                {
                    byValue[key] = group = [];
                }

                group.Add(row);
            }
        }

        return byValue;
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

    private static List<(ConversationParentConfig Config, long Id)> ParentsOf(ObjectSession session, IncomingContext context, LimeObject conversation)
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

    private static async Task AddFilesAsync(
        ObjectSession session, IncomingContext context, long messageId, List<(ConversationParentConfig Config, long Id)> parents, CancellationToken cancellationToken)
    {
        var c = context.Configuration;
        var html = context.Message.HtmlBody;
        var rewritten = false;
        // An attached email is a document of the type "email" where the schema has it, so the thread can show it as a message.
        var emailType = session.Schema.Get(c.Document.Limetype).Find(c.Document.PropertyType)?.HasOption(EmailDocumentType) == true;
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
                [c.Document.PropertyType] = file.Attachment.IsMessage && emailType ? EmailDocumentType : c.Document.DocumentType,
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

    /// <summary>The message as HTML: its own HTML part, or the plain text escaped with its line breaks kept.</summary>
    private static string Body(Mail.IncomingMessage m) =>
        m.HtmlBody ?? $"<div style=\"white-space: pre-wrap\">{WebUtility.HtmlEncode(m.TextBody ?? "")}</div>";

    /// <summary>Text keys as the database's NOCASE collation compares them: ASCII letters fold, nothing else does.</summary>
    private sealed class TextKey : IEqualityComparer<string>
    {
        public static readonly TextKey Comparer = new();

        public bool Equals(string? x, string? y) => x is null || y is null ? x == y : string.Equals(Fold(x), Fold(y), StringComparison.Ordinal);

        public int GetHashCode(string value) => StringComparer.Ordinal.GetHashCode(Fold(value));

        private static string Fold(string value) => string.Create(value.Length, value, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = source[i] is >= 'A' and <= 'Z' ? (char)(source[i] + 32) : source[i];
            }
        });
    }

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];
}
