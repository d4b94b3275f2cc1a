using System.Globalization;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// The hub: turns each pending <see cref="NotificationEvent"/> into outbox rows, in one transaction
/// with marking the event done. New conversation: an auto-reply to every follower. Later messages:
/// a notification to every active, subscribed follower except the author. Never for automatic
/// mail, never to the shared addresses, and auto-replies capped per address and time window.
/// </summary>
public sealed class NotificationDispatcher(
    IDbContextFactory<AppDbContext> dbFactory,
    ObjectStore store,
    SettingsStore settings,
    AccountService accounts,
    TemplateService templates,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger)
{
    public const string Actor = "email-notifications";

    /// <summary>Failed tries before an event is given up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Expands every pending event; returns how many outbox rows were queued.</summary>
    public async Task<int> ExpandPendingAsync(CancellationToken cancellationToken = default)
    {
        List<long> pending;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            pending = await db.Set<NotificationEvent>().Where(e => e.ProcessedUtc == null).OrderBy(e => e.Id).Select(e => e.Id).Take(500).ToListAsync(cancellationToken);
        }

        var queued = 0;
        var pass = new Pass(await settings.GetRuntimeAsync(cancellationToken), await accounts.ListAsync(cancellationToken));
        foreach (var id in pending)
        {
            try
            {
                queued += await ExpandAsync(pass, id, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One event that cannot be expanded (a busy database, a deleted record, a broken template) must not
                // hold up the others. It stays pending for the next passes; after a few failures it is given up, with
                // the reason on the Logs tab.
                logger.LogError(ex, "Notifications for event {Event} could not be prepared", id);
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                await db.Set<NotificationEvent>().Where(e => e.Id == id && e.ProcessedUtc == null).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                    .SetProperty(e => e.Outcome, $"Not prepared yet: {ex.Message}"), CancellationToken.None);
                await db.Set<NotificationEvent>().Where(e => e.Id == id && e.ProcessedUtc == null && e.Attempts >= MaxAttempts).ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.ProcessedUtc, clock.GetUtcNow().UtcDateTime)
                    .SetProperty(e => e.Outcome, $"Not sent: {ex.Message}"), CancellationToken.None);
            }
        }

        return queued;
    }

    /// <summary>What stays the same for every event of one pass.</summary>
    private sealed class Pass(RuntimeConfiguration configuration, IReadOnlyList<MailAccountSummary> accounts)
    {
        public RuntimeConfiguration Configuration { get; } = configuration;

        public IReadOnlyList<MailAccountSummary> Accounts { get; } = accounts;

        public HashSet<string> Own { get; } = accounts.Select(a => a.EmailAddress).ToHashSet(StringComparer.OrdinalIgnoreCase);

        public Dictionary<(TemplateKind, Guid, string?), string> Templates { get; } = [];
    }

    private async Task<int> ExpandAsync(Pass pass, long eventId, CancellationToken cancellationToken)
    {
        var allAccounts = pass.Accounts;
        var own = pass.Own;
        var now = clock.GetUtcNow().UtcDateTime;

        await using var session = await store.OpenAsync(Actor, cancellationToken);
        // The claim: only one expansion of an event ever commits, whichever node runs it.
        var claimed = await session.Db.Set<NotificationEvent>().Where(e => e.Id == eventId && e.ProcessedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedUtc, now), cancellationToken);
        var ev = await session.Db.Set<NotificationEvent>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (claimed == 0 || ev is null)
        {
            return 0;
        }

        var outbox = new List<OutboxMessage>();
        var outcome = await PlanAsync(session, pass, ev, allAccounts.FirstOrDefault(a => a.Id == ev.AccountId), own, outbox, cancellationToken);
        await session.Db.Set<NotificationEvent>().Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Outcome, outcome), cancellationToken);
        session.Db.AddRange(outbox);
        await session.Db.SaveChangesAsync(cancellationToken);
        await session.CommitAsync(cancellationToken);
        return outbox.Count;
    }

    private async Task<string> PlanAsync(
        ObjectSession session, Pass pass, NotificationEvent ev, MailAccountSummary? account, HashSet<string> own,
        List<OutboxMessage> outbox, CancellationToken cancellationToken)
    {
        var c = pass.Configuration;
        if (account is null)
        {
            return "The account was deleted; nothing sent.";
        }

        if (ev.AutomaticReason is not null)
        {
            return $"Automatic mail ({ev.AutomaticReason}): no notifications or auto-replies.";
        }

        var conversation = await session.GetAsync(c.Conversation.Limetype, ev.ConversationId, cancellationToken);
        var message = await session.GetAsync(c.ConversationMessage.Limetype, ev.MessageRecordId, cancellationToken);
        if (conversation is null || message is null)
        {
            return "The conversation or message was deleted; nothing sent.";
        }

        var followers = await FollowersAsync(session, c, ev.ConversationId, cancellationToken);
        var thread = await ThreadAsync(session, c, ev.ConversationId, cancellationToken);
        // Records are numbered as they are written, so the lowest id is the message that started the
        // conversation, whatever the senders' clocks put in their Date headers.
        var isFirst = await FirstMessageIdAsync(session, c, ev.ConversationId, cancellationToken) == ev.MessageRecordId;
        if (ev.Kind == NotificationEventKind.Incoming && !isFirst)
        {
            await FollowResponsibleAsync(session, c, conversation, followers, cancellationToken);
        }
        var author = new Participant(ev.AuthorAddress ?? account.EmailAddress, ev.AuthorName);

        TemplateKind kind;
        List<FollowerRow> audience;
        var notes = new List<string>();
        if (ev.Kind == NotificationEventKind.AgentReply)
        {
            kind = TemplateKind.Notification;
            var chosen = (ev.Recipients ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            audience = followers.Where(f => chosen.Contains(f.Address)).ToList();
        }
        else
        {
            kind = isFirst ? TemplateKind.AutoReply : TemplateKind.Notification;
            // An auto-reply confirms receipt to the customer's side; staff who follow already are not "customers".
            audience = followers.Where(f => f.Active && f.Subscribed && !(isFirst && f.Level == ConversationService.AgentLevel)).ToList();
            if (!isFirst)
            {
                // The author knows what they wrote.
                audience.RemoveAll(f => string.Equals(f.Address, author.Address, StringComparison.OrdinalIgnoreCase));
            }
        }

        // The hub never writes to itself: a shared address as a follower would start a loop.
        audience.RemoveAll(f => own.Contains(f.Address));
        var messageDate = message[c.ConversationMessage.PropertyDate] as DateTime?;
        if (kind == TemplateKind.AutoReply && messageDate is { } received && clock.GetUtcNow().UtcDateTime - received > options.Value.AutoReplyMaxAge)
        {
            return $"No auto-replies: the message is from {received:yyyy-MM-dd HH:mm} UTC, older than {options.Value.AutoReplyMaxAge.TotalHours:0} hours (a backlog or a late retry).";
        }

        if (kind == TemplateKind.AutoReply)
        {
            await CapAsync(session, audience, OutboxKind.AutoReply, null, options.Value.AutoReplyLimit, notes,
                (address, recent) => $"No auto-reply to {address}: {recent} already in the last {options.Value.AutoReplyWindow.TotalMinutes:0} minutes.", cancellationToken);
        }
        else if (ev.Kind == NotificationEventKind.Incoming)
        {
            await CapAsync(session, audience, OutboxKind.Notification, ev.ConversationId, options.Value.NotificationLimit, notes,
                (address, recent) => $"No notification to {address}: {recent} about this conversation in the last {options.Value.AutoReplyWindow.TotalMinutes:0} minutes (a loop of auto-responders?).", cancellationToken);
        }

        if (audience.Count == 0)
        {
            return notes.Count > 0 ? string.Join(" ", notes) : "Nobody to notify.";
        }

        var language = conversation.Text(c.Conversation.PropertyLanguage);
        if (!pass.Templates.TryGetValue((kind, account.Id, language), out var template))
        {
            template = await templates.ResolveAsync(kind, account.Id, language, cancellationToken);
            pass.Templates[(kind, account.Id, language)] = template;
        }

        var subject = conversation.Text(c.Conversation.PropertySubject) ?? message.Text("subject") ?? "";
        var fromAccount = new Participant(account.EmailAddress, account.DisplayName);
        // Staff who replied follow along in the browser; their own addresses are not handed to customers.
        var everyone = followers.Where(f => f.Active && f.Level != "agent" && !own.Contains(f.Address)).Select(f => f.Participant).ToList();
        var entries = thread.Select(t => t.Entry).ToList();
        var emailIds = thread.OrderBy(t => t.Id).Select(t => t.EmailId).OfType<string>().ToList();
        // An incoming message: the email answers it. An agent's reply: it answers the message before it, which the recipients have.
        var inReplyTo = ev.Kind == NotificationEventKind.AgentReply
            ? thread.Where(t => t.Id < ev.MessageRecordId).OrderBy(t => t.Id).Select(t => t.EmailId).OfType<string>().LastOrDefault()
            : message.Text(c.ConversationMessage.PropertyEmailId) ?? emailIds.LastOrDefault();
        var references = new[] { conversation.Text(c.Conversation.PropertyThreadId) }.Concat(emailIds.TakeLast(10)).Concat([inReplyTo])
            .OfType<string>().Where(id => id.Contains('@')).Distinct().ToList();
        var attachments = ev.Kind == NotificationEventKind.AgentReply ? await AttachmentsAsync(session, c, ev.MessageRecordId, cancellationToken) : null;
        var outboxKind = ev.Kind == NotificationEventKind.AgentReply ? OutboxKind.Reply : kind == TemplateKind.AutoReply ? OutboxKind.AutoReply : OutboxKind.Notification;

        // Sanitizing the thread is the costly part; every recipient gets the same thread.
        var threadHtml = MergeValues.ThreadHtml(entries);
        var groups = c.PersonalizedEmails ? audience.Select(f => (IReadOnlyList<FollowerRow>)[f]).ToList() : [audience];
        foreach (var recipients in groups)
        {
            var values = MergeValues.Build(new MergeInput(kind, ev.Kind, subject, fromAccount, author,
                everyone, recipients.Select(r => r.Participant).ToList(), audience.Select(a => a.Participant).ToList(), entries), threadHtml);
            var row = new OutboxMessage
            {
                AccountId = account.Id,
                Kind = outboxKind,
                MessageId = NewMessageId(account.EmailAddress),
                FromAddress = account.EmailAddress,
                FromName = account.DisplayName,
                Subject = ReplySubject(subject),
                Html = MergeCodes.Render(template, values),
                InReplyTo = inReplyTo,
                References = string.Join(' ', references),
                // RFC 3834: notifications and auto-replies say they are automatic; an agent's reply is a person's mail.
                AutoSubmitted = outboxKind switch
                {
                    OutboxKind.AutoReply => "auto-replied",
                    OutboxKind.Notification => "auto-generated",
                    _ => null,
                },
                Attachments = attachments,
                ConversationId = ev.ConversationId,
                MessageRecordId = ev.MessageRecordId,
                State = OutboxState.Queued,
                CreatedUtc = clock.GetUtcNow().UtcDateTime,
                NextAttemptUtc = clock.GetUtcNow().UtcDateTime,
                Recipients = recipients.Select(r => new OutboxRecipient { Address = r.Address.ToLowerInvariant(), Name = r.Name }).ToList(),
            };
            outbox.Add(row);
            foreach (var recipient in recipients)
            {
                await RecordOnMessageFollowerAsync(session, c, ev.MessageRecordId, recipient, row, cancellationToken);
            }
        }

        notes.Insert(0, $"{outbox.Count} {(outboxKind == OutboxKind.AutoReply ? "auto-repl" + (outbox.Count == 1 ? "y" : "ies") : outboxKind == OutboxKind.Reply ? "repl" + (outbox.Count == 1 ? "y" : "ies") : "notification" + (outbox.Count == 1 ? "" : "s"))} queued for {string.Join(", ", audience.Select(a => a.Address))}.");
        return string.Join(" ", notes);
    }

    /// <summary>
    /// Drops the followers who already got <paramref name="limit"/> emails of this kind (about this
    /// conversation, when given) within the window, and notes why.
    /// </summary>
    private async Task CapAsync(
        ObjectSession session, List<FollowerRow> audience, OutboxKind kind, long? conversationId, int limit, List<string> notes,
        Func<string, int, string> reason, CancellationToken cancellationToken)
    {
        var since = clock.GetUtcNow().UtcDateTime - options.Value.AutoReplyWindow;
        foreach (var follower in audience.ToList())
        {
            var address = follower.Address.ToLowerInvariant();
            var recent = await session.Db.Set<OutboxRecipient>()
                .Join(session.Db.Set<OutboxMessage>(), r => r.OutboxMessageId, o => o.Id, (r, o) => new { r.Address, o.Kind, o.ConversationId, o.CreatedUtc })
                .CountAsync(x => x.Address == address && x.Kind == kind && (conversationId == null || x.ConversationId == conversationId) && x.CreatedUtc >= since, cancellationToken);
            if (recent >= limit)
            {
                audience.Remove(follower);
                notes.Add(reason(follower.Address, recent));
            }
        }
    }

    /// <summary>A template rendered for the preview: against a real conversation, or sample people.</summary>
    public async Task<string> PreviewAsync(string html, TemplateKind kind, long? conversationId, CancellationToken cancellationToken = default)
    {
        var c = await settings.GetRuntimeAsync(cancellationToken);
        var all = await accounts.ListAsync(cancellationToken);
        var account = all.Count > 0 ? all[0] : null;
        var fromAccount = new Participant(account?.EmailAddress ?? "support@example.com", account?.DisplayName ?? "Support");
        // The sample needs no database, so typing in the editor takes no lock.
        var input = (conversationId is { } id ? await ConversationInputAsync(c, kind, fromAccount, id, cancellationToken) : null) ?? SampleInput(kind, fromAccount);
        return MergeCodes.Render(html, MergeValues.Build(input));
    }

    private async Task<MergeInput?> ConversationInputAsync(RuntimeConfiguration c, TemplateKind kind, Participant fromAccount, long conversationId, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenReadAsync(cancellationToken);
        var conversation = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
        if (conversation is null)
        {
            return null;
        }

        var followers = (await FollowersAsync(session, c, conversation.Id, cancellationToken)).Where(f => f.Active && f.Level != "agent").Select(f => f.Participant).ToList();
        var thread = await ThreadAsync(session, c, conversation.Id, cancellationToken);
        var last = thread.MaxBy(t => t.Id);
        var author = new Participant(last?.Entry.FromAddress ?? fromAccount.Address, last?.Entry.FromName);
        var recipient = followers.FirstOrDefault(f => !string.Equals(f.Address, author.Address, StringComparison.OrdinalIgnoreCase)) ?? author;
        return new MergeInput(kind, NotificationEventKind.Incoming, conversation.Text(c.Conversation.PropertySubject) ?? "", fromAccount, author,
            followers, [recipient], followers, thread.Select(t => t.Entry).ToList());
    }

    private MergeInput SampleInput(TemplateKind kind, Participant fromAccount)
    {
        var anna = new Participant("anna.andersson@example.com", "Anna Andersson");
        var bo = new Participant("bo.berg@example.com", "Bo Berg");
        return new MergeInput(kind, NotificationEventKind.Incoming, "My printer does not print", fromAccount, anna, [anna, bo], [bo], [anna, bo],
        [
            new ThreadEntry(anna.Name, anna.Address, clock.GetUtcNow().UtcDateTime.AddMinutes(-5),
                "<p>Hello,</p><p>since this morning my printer only blinks. Bo is in copy.</p><p>Anna</p>"),
        ]);
    }

    private sealed record FollowerRow(long Id, string Address, string? Name, string? Level, bool Active, bool Subscribed)
    {
        public Participant Participant => new(Address, Name);
    }

    private sealed record ThreadRow(long Id, DateTime? Date, string? EmailId, ThreadEntry Entry);

    /// <summary>
    /// The Responsible of the conversation's parents hears what the customer answers: one who does not
    /// follow yet becomes an agent follower, so the chips show it and they can stop it there.
    /// </summary>
    private static async Task FollowResponsibleAsync(ObjectSession session, RuntimeConfiguration c, LimeObject conversation, List<FollowerRow> followers, CancellationToken cancellationToken)
    {
        var followerType = session.Schema.Get(c.Follower.Limetype);
        foreach (var (type, parentId) in ConversationUpkeep.Parents(session, c, conversation))
        {
            var parent = await session.GetAsync(type.Name, parentId, cancellationToken);
            if (parent?[ConversationUpkeep.ResponsibleProperty] is not long coworkerId || type.Find(ConversationUpkeep.ResponsibleProperty)?.RelatedLimetype != "coworker"
                || await session.GetAsync("coworker", coworkerId, cancellationToken) is not { } coworker
                || coworker.Text("email") is not { Length: > 0 } address
                || followers.Any(f => string.Equals(f.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var values = new Dictionary<string, object?>
            {
                [c.Follower.PropertyName] = coworker.Text("name") ?? address,
                [c.Follower.PropertyAddress] = address,
                [c.Follower.PropertyParticipationLevel] = ConversationService.AgentLevel,
                [c.Follower.PropertyActive] = true,
                [c.Follower.PropertySubscribed] = true,
                [c.Follower.RelationConversation] = conversation.Id,
                ["coworker"] = coworkerId,
            };
            var id = await session.CreateAsync(c.Follower.Limetype, values.Where(v => followerType.Find(v.Key) is not null).ToDictionary(), cancellationToken);
            followers.Add(new FollowerRow(id, address, coworker.Text("name"), ConversationService.AgentLevel, true, true));
        }
    }

    private static async Task<List<FollowerRow>> FollowersAsync(ObjectSession session, RuntimeConfiguration c, long conversationId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ByRelation(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
        return rows.Where(r => r.GetValueOrDefault(c.Follower.PropertyAddress) is string { Length: > 0 })
            .Select(r => new FollowerRow(Id(r), (string)r[c.Follower.PropertyAddress]!, r.GetValueOrDefault(c.Follower.PropertyName) as string,
                r.GetValueOrDefault(c.Follower.PropertyParticipationLevel) as string,
                r.GetValueOrDefault(c.Follower.PropertyActive) is true, r.GetValueOrDefault(c.Follower.PropertySubscribed) is true))
            .ToList();
    }

    /// <summary>The newest messages of the thread (an email shows the recent ones; a long thread stays a readable email).</summary>
    private static async Task<List<ThreadRow>> ThreadAsync(ObjectSession session, RuntimeConfiguration c, long conversationId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, CrmSchema.IdKey) with
        {
            Order = [new OrderBy(CrmSchema.IdKey, Descending: true)],
            Limit = ThreadLimit,
        }, QueryContext.Anonymous, cancellationToken);
        // Internal notes are for staff: never quoted in an email.
        return rows.Where(r => r.GetValueOrDefault(ConversationService.InternalNoteProperty) is not true)
            .Select(r => new ThreadRow(Id(r), r.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?, r.GetValueOrDefault(c.ConversationMessage.PropertyEmailId) as string,
                new ThreadEntry(r.GetValueOrDefault("fromname") as string, r.GetValueOrDefault("fromaddress") as string,
                    r.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?, r.GetValueOrDefault(c.ConversationMessage.PropertyMessage) as string ?? "")))
            .ToList();
    }

    private const int ThreadLimit = 50;

    private static async Task<long?> FirstMessageIdAsync(ObjectSession session, RuntimeConfiguration c, long conversationId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, CrmSchema.IdKey) with
        {
            Limit = 1,
            Columns = [CrmSchema.IdKey],
        }, QueryContext.Anonymous, cancellationToken);
        return rows.Count == 0 ? null : Id(rows[0]);
    }

    private static async Task<string?> AttachmentsAsync(ObjectSession session, RuntimeConfiguration c, long messageId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ByRelation(c.Document.Limetype, c.Document.RelationConversationMessage, messageId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
        var lines = rows.Where(r => r.GetValueOrDefault(c.Document.PropertyDocument) is string { Length: > 0 })
            .Select(r => $"{r[c.Document.PropertyDocument]}|{r.GetValueOrDefault(c.Document.PropertyComment) as string ?? "attachment"}")
            .ToList();
        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>The notification's Message-ID and outbox id on the recipient's message follower, so a reply to it threads back.</summary>
    private static async Task RecordOnMessageFollowerAsync(
        ObjectSession session, RuntimeConfiguration c, long messageId, FollowerRow follower, OutboxMessage row, CancellationToken cancellationToken)
    {
        var existing = await session.QueryAsync(new LimeQuery(c.MessageFollower.Limetype)
        {
            Filter = new System.Text.Json.Nodes.JsonObject
            {
                ["op"] = "AND",
                ["exp"] = new System.Text.Json.Nodes.JsonArray(
                    new System.Text.Json.Nodes.JsonObject { ["key"] = c.MessageFollower.RelationConversationMessage, ["op"] = "=", ["exp"] = messageId },
                    new System.Text.Json.Nodes.JsonObject { ["key"] = c.MessageFollower.RelationFollower, ["op"] = "=", ["exp"] = follower.Id }),
            },
            Limit = 1,
        }, QueryContext.Anonymous, cancellationToken);
        var values = new Dictionary<string, object?>
        {
            [c.MessageFollower.PropertyMessageId] = row.MessageId,
            [c.MessageFollower.PropertyQueueId] = row.Id.ToString(),
        };
        if (existing.Count > 0)
        {
            await session.UpdateAsync(c.MessageFollower.Limetype, Id(existing[0]), values, cancellationToken);
            return;
        }

        values[c.MessageFollower.PropertyParticipationLevel] = follower.Level is "from" or "cc" or "agent" ? follower.Level : "to";
        values[c.MessageFollower.RelationFollower] = follower.Id;
        values[c.MessageFollower.RelationConversationMessage] = messageId;
        await session.CreateAsync(c.MessageFollower.Limetype, values, cancellationToken);
    }

    public static string NewMessageId(string accountAddress)
    {
        var at = accountAddress.LastIndexOf('@');
        var domain = at >= 0 && at < accountAddress.Length - 1 ? accountAddress[(at + 1)..] : "localhost";
        return $"{Guid.NewGuid():N}@{domain}";
    }

    public static string ReplySubject(string subject) =>
        subject.StartsWith("re:", StringComparison.OrdinalIgnoreCase) ? subject : $"Re: {subject}";

    private static LimeQuery ByRelation(string limetype, string key, long value, string order) => new(limetype)
    {
        Filter = new System.Text.Json.Nodes.JsonObject { ["key"] = key, ["op"] = "=", ["exp"] = value },
        Order = [new OrderBy(order)],
        Limit = 500,
    };

    private static long Id(IReadOnlyDictionary<string, object?> row) => Convert.ToInt64(row[CrmSchema.IdKey], CultureInfo.InvariantCulture);
}
