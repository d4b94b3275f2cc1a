using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// A conversation as its emails show it: its followers and the newest messages of its thread, read
/// once per event. The merge input of every email about it, sent or previewed, is made here, so a
/// preview shows what a recipient gets.
/// </summary>
internal sealed class NotificationConversation
{
    /// <summary>The newest messages an email quotes: it shows the recent ones, so a long thread stays a readable email.</summary>
    private const int ThreadLimit = 50;

    private readonly RuntimeConfiguration c;

    private NotificationConversation(RuntimeConfiguration c, LimeObject record, List<FollowerRow> followers, List<ThreadRow> thread)
    {
        this.c = c;
        Record = record;
        Followers = followers;
        Thread = thread;
    }

    public LimeObject Record { get; }

    public long Id => Record.Id;

    /// <summary>Every follower with an address; planning adds the ones it makes.</summary>
    public List<FollowerRow> Followers { get; }

    /// <summary>The newest messages, newest first; internal notes left out.</summary>
    public IReadOnlyList<ThreadRow> Thread { get; }

    public string? Language => Record.Text(c.Conversation.PropertyLanguage);

    public string? ThreadId => Record.Text(c.Conversation.PropertyThreadId);

    /// <summary>The conversation, or null when it was deleted.</summary>
    public static async Task<NotificationConversation?> LoadAsync(ObjectSession session, RuntimeConfiguration c, long conversationId, CancellationToken cancellationToken)
    {
        var record = await session.GetAsync(c.Conversation.Limetype, conversationId, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var followers = await session.QueryAsync(ConversationUpkeep.ByRelation(c.Follower.Limetype, c.Follower.RelationConversation, conversationId, CrmSchema.IdKey), QueryContext.Anonymous, cancellationToken);
        var messages = await session.QueryAsync(ConversationUpkeep.ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, conversationId, CrmSchema.IdKey) with
        {
            Order = [new OrderBy(CrmSchema.IdKey, Descending: true)],
            Limit = ThreadLimit,
        }, QueryContext.Anonymous, cancellationToken);
        return new NotificationConversation(c, record,
            followers.Where(r => r.GetValueOrDefault(c.Follower.PropertyAddress) is string { Length: > 0 })
                .Select(r => new FollowerRow(r.Id, (string)r[c.Follower.PropertyAddress]!, r.GetValueOrDefault(c.Follower.PropertyName) as string,
                    r.GetValueOrDefault(c.Follower.PropertyParticipationLevel) as string,
                    r.GetValueOrDefault(c.Follower.PropertyActive) is true, r.GetValueOrDefault(c.Follower.PropertySubscribed) is true))
                .ToList(),
            // Internal notes are for staff: never quoted in an email.
            messages.Where(r => r.GetValueOrDefault(ConversationService.InternalNoteProperty) is not true)
                .Select(r => new ThreadRow(r.Id, r.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?, r.GetValueOrDefault(c.ConversationMessage.PropertyEmailId) as string,
                    new ThreadEntry(r.GetValueOrDefault("fromname") as string, r.GetValueOrDefault("fromaddress") as string,
                        r.GetValueOrDefault(c.ConversationMessage.PropertyDate) as DateTime?, r.GetValueOrDefault(c.ConversationMessage.PropertyMessage) as string ?? "")))
                .ToList());
    }

    /// <summary>
    /// Whether the message started the conversation. Records are numbered as they are written, so the
    /// lowest id is the first message, whatever the senders' clocks put in their Date headers.
    /// </summary>
    public async Task<bool> StartsWithAsync(ObjectSession session, long messageId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync(ConversationUpkeep.ByRelation(c.ConversationMessage.Limetype, c.ConversationMessage.RelationConversation, Id, CrmSchema.IdKey) with
        {
            Limit = 1,
            Columns = [CrmSchema.IdKey],
        }, QueryContext.Anonymous, cancellationToken);
        return rows.Count > 0 && rows[0].Id == messageId;
    }

    /// <summary>The emails' subject: the conversation's, else the message's.</summary>
    public string Subject(LimeObject? message) => Record.Text(c.Conversation.PropertySubject) ?? message?.Text("subject") ?? "";

    /// <summary>
    /// The followers an email names: the active ones customers may see. Staff who replied follow along
    /// in the browser, and our own addresses are not handed out.
    /// </summary>
    public IReadOnlyList<Participant> VisibleFollowers(IReadOnlySet<string> own) =>
        Followers.Where(f => f.Active && f.Level != ConversationService.AgentLevel && !own.Contains(f.Address)).Select(f => f.Participant).ToList();

    /// <summary>The merge input of one email about this conversation.</summary>
    public MergeInput MergeInput(
        TemplateKind kind, NotificationEventKind eventKind, string subject, Participant account, Participant author,
        IReadOnlyList<Participant> recipients, IReadOnlyList<Participant> audience, IReadOnlySet<string> own) =>
        new(kind, eventKind, subject, account, author, VisibleFollowers(own), recipients, audience, Thread.Select(t => t.Entry).ToList());

}

/// <summary>A follower of the conversation as planning sees it.</summary>
internal sealed record FollowerRow(long Id, string Address, string? Name, string? Level, bool Active, bool Subscribed)
{
    public Participant Participant => new(Address, Name);
}

/// <summary>A message of the thread: its id and Message-ID for threading, and what the email shows of it.</summary>
internal sealed record ThreadRow(long Id, DateTime? Date, string? EmailId, ThreadEntry Entry);
