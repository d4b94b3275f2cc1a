using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// The hub: turns each pending <see cref="NotificationEvent"/> into outbox rows, in one transaction
/// with marking the event done. Who gets one is <see cref="RecipientPlanner"/>'s choice; what it says
/// is the template merged with <see cref="NotificationConversation.MergeInput"/>. Never for automatic mail.
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
        var now = clock.GetUtcNow().UtcDateTime;

        await using var session = await store.OpenAsync(Actor, cancellationToken);
        // The claim: only one expansion of an event ever commits, whichever node runs it.
        var events = session.Records<NotificationEvent>();
        var claimed = await events.Where(e => e.Id == eventId && e.ProcessedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.ProcessedUtc, now), cancellationToken);
        var ev = await events.AsNoTracking().FirstOrDefaultAsync(e => e.Id == eventId, cancellationToken);
        if (claimed == 0 || ev is null)
        {
            return 0;
        }

        var outbox = new List<OutboxMessage>();
        var outcome = await QueueAsync(session, pass, ev, pass.Accounts.FirstOrDefault(a => a.Id == ev.AccountId), outbox, cancellationToken);
        await events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Outcome, outcome), cancellationToken);
        await session.AddRecordsAsync(outbox, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return outbox.Count;
    }

    /// <summary>Queues the event's emails in <paramref name="outbox"/>; gives the outcome the Logs tab shows.</summary>
    private async Task<string> QueueAsync(
        ObjectSession session, Pass pass, NotificationEvent ev, MailAccountSummary? account, List<OutboxMessage> outbox, CancellationToken cancellationToken)
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

        var message = await session.GetAsync(c.ConversationMessage.Limetype, ev.MessageRecordId, cancellationToken);
        var conversation = message is null ? null : await NotificationConversation.LoadAsync(session, c, ev.ConversationId, cancellationToken);
        if (conversation is null || message is null)
        {
            return "The conversation or message was deleted; nothing sent.";
        }

        var author = new Participant(ev.AuthorAddress ?? account.EmailAddress, ev.AuthorName);
        var plan = await new RecipientPlanner(options.Value, clock).PlanAsync(session, c, ev, conversation, message, author, pass.Own, cancellationToken);
        if (plan.Outcome is not null)
        {
            return plan.Outcome;
        }

        var (kind, audience, notes) = (plan.Kind, plan.Audience, plan.Notes);
        var language = conversation.Language;
        if (!pass.Templates.TryGetValue((kind, account.Id, language), out var template))
        {
            template = await templates.ResolveAsync(kind, account.Id, language, cancellationToken);
            pass.Templates[(kind, account.Id, language)] = template;
        }

        var subject = conversation.Subject(message);
        var fromAccount = new Participant(account.EmailAddress, account.DisplayName);
        var thread = conversation.Thread;
        var emailIds = thread.OrderBy(t => t.Id).Select(t => t.EmailId).OfType<string>().ToList();
        // An incoming message: the email answers it. An agent's reply: it answers the message before it, which the recipients have.
        var inReplyTo = ev.Kind == NotificationEventKind.AgentReply
            ? thread.Where(t => t.Id < ev.MessageRecordId).OrderBy(t => t.Id).Select(t => t.EmailId).OfType<string>().LastOrDefault()
            : message.Text(c.ConversationMessage.PropertyEmailId) ?? emailIds.LastOrDefault();
        var references = new[] { conversation.ThreadId }.Concat(emailIds.TakeLast(10)).Concat([inReplyTo])
            .OfType<string>().Where(id => id.Contains('@')).Distinct().ToList();
        var attachments = ev.Kind == NotificationEventKind.AgentReply ? await AttachmentsAsync(session, c, ev.MessageRecordId, cancellationToken) : null;
        var outboxKind = ev.Kind == NotificationEventKind.AgentReply ? OutboxKind.Reply : kind == TemplateKind.AutoReply ? OutboxKind.AutoReply : OutboxKind.Notification;

        // Sanitizing the thread is the costly part; every recipient gets the same thread.
        var threadHtml = MergeValues.ThreadHtml(thread.Select(t => t.Entry).ToList());
        var told = audience.Select(a => a.Participant).ToList();
        var groups = c.PersonalizedEmails ? audience.Select(f => (IReadOnlyList<FollowerRow>)[f]).ToList() : [audience];
        foreach (var recipients in groups)
        {
            var values = MergeValues.Build(
                conversation.MergeInput(kind, ev.Kind, subject, fromAccount, author, recipients.Select(r => r.Participant).ToList(), told, pass.Own), threadHtml);
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

        notes.Insert(0, $"{outbox.Count} {Describe(outboxKind, outbox.Count)} queued for {string.Join(", ", audience.Select(a => a.Address))}.");
        return string.Join(" ", notes);
    }

    private static string Describe(OutboxKind kind, int count) => kind switch
    {
        OutboxKind.AutoReply => count == 1 ? "auto-reply" : "auto-replies",
        OutboxKind.Reply => count == 1 ? "reply" : "replies",
        _ => count == 1 ? "notification" : "notifications",
    };

    private static async Task<string?> AttachmentsAsync(ObjectSession session, RuntimeConfiguration c, long messageId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ConversationUpkeep.ByRelation(c.Document.Limetype, c.Document.RelationConversationMessage, messageId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
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
            Filter = Filter.And(Filter.Eq(c.MessageFollower.RelationConversationMessage, messageId), Filter.Eq(c.MessageFollower.RelationFollower, follower.Id)),
            Limit = 1,
        }, QueryContext.Anonymous, cancellationToken);
        var values = new Dictionary<string, object?>
        {
            [c.MessageFollower.PropertyMessageId] = row.MessageId,
            [c.MessageFollower.PropertyQueueId] = row.Id.ToString(),
        };
        if (existing.Count > 0)
        {
            await session.UpdateAsync(c.MessageFollower.Limetype, existing[0].Id, values, cancellationToken);
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
}
