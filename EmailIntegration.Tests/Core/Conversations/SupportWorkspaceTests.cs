using System.Globalization;
using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Tests.Core.Notifications;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Conversations;

/// <summary>What an agent's actions do to a ticket and who hears what next, through the real stack's mailboxes.</summary>
public sealed class SupportWorkspaceTests : NotificationTestBase
{
    private readonly TestMailbox anna = TestMailbox.New("anna");
    private readonly TestMailbox agentBox = TestMailbox.New("agent");

    private AgentIdentity Agent => new("user-agent-1", "Agent Smith", agentBox.Address);

    [Fact]
    public async Task A_reply_reads_the_ticket_takes_it_sets_its_status_and_the_customers_answer_reaches_the_agent()
    {
        var original = Mail(anna, "Anna Andersson", Mailbox, "Invoice missing", "Where is my invoice?");
        await Mailbox.DeliverAsync(original);
        await ImportAsync();
        var thread = await SingleThreadAsync();
        Assert.NotNull(thread.EarliestUnread);
        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        Assert.Null(ticket["coworker"]);

        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(
            thread.Id, AccountId, "It is on its way.", [anna.Address], [], Agent.Name, Agent.Email, Agent.UserId, SetStatus: "done"));
        Assert.True(reply.Succeeded, string.Join("; ", reply.Errors.Values));

        // One transaction: read, taken by the agent (a coworker record made for the user), status set.
        thread = await SingleThreadAsync();
        Assert.Null(thread.EarliestUnread);
        Assert.All(thread.Messages.Where(m => m.Incoming), m => Assert.True(m.IsRead));
        var coworker = Assert.Single(await QueryAsync("coworker", "username", Agent.UserId));
        ticket = Assert.Single(await QueryAsync("helpdesk"));
        Assert.Equal(coworker["_id"], ticket["coworker"]);
        Assert.Equal("done", ticket["status"]);
        var agentFollower = Assert.Single(thread.Followers, f => f.Address == agentBox.Address);
        Assert.Equal(ConversationService.AgentLevel, agentFollower.Level);
        Assert.True(agentFollower.Subscribed);

        // The customer answers: the agent hears of it by email; the customer's own copy is not sent back.
        var annaInbox = await anna.WaitForMessagesAsync(2);
        await anna.SendAsync(ReplyTo(annaInbox[^1], anna, "Anna Andersson", Mailbox, "Got it, thanks!"));
        await WaitForInboxAsync(Mailbox, 2);
        await ImportAsync();
        var agentInbox = await agentBox.WaitForMessagesAsync(1);
        Assert.Contains("Got it, thanks!", Assert.Single(agentInbox).HtmlBody, StringComparison.Ordinal);
        // The answer is unread again for everyone.
        Assert.NotNull((await SingleThreadAsync()).EarliestUnread);
    }

    [Fact]
    public async Task The_responsible_hears_a_customers_answer_without_having_replied()
    {
        var original = Mail(anna, "Anna Andersson", Mailbox, "Broken login", "I cannot sign in.");
        await Mailbox.DeliverAsync(original);
        await ImportAsync();
        var ticketId = Id(Assert.Single(await QueryAsync("helpdesk")));
        var store = Host.Get<ObjectStore>();
        var lead = await store.CreateAsync("coworker", new Dictionary<string, object?> { ["name"] = "Lead", ["email"] = agentBox.Address }, "test");
        await store.UpdateAsync("helpdesk", ticketId, new Dictionary<string, object?> { ["coworker"] = lead }, "test");

        await anna.SendAsync(ReplyTo((await anna.WaitForMessagesAsync(1))[0], anna, "Anna Andersson", Mailbox, "Still broken."));
        await WaitForInboxAsync(Mailbox, 2);
        await ImportAsync();

        var agentInbox = await agentBox.WaitForMessagesAsync(1);
        Assert.Contains("Still broken.", agentInbox[0].HtmlBody, StringComparison.Ordinal);
        Assert.Contains((await SingleThreadAsync()).Followers, f => f.Address == agentBox.Address && f.Level == ConversationService.AgentLevel);
    }

    [Fact]
    public async Task Follow_unsubscribe_and_remove_change_who_gets_the_next_notification()
    {
        var bo = TestMailbox.New("bo");
        var original = Mail(anna, "Anna Andersson", Mailbox, "Shipping", "When does it ship?", bo);
        await Mailbox.DeliverAsync(original);
        await ImportAsync();
        var conversations = Host.Get<ConversationService>();
        var thread = await SingleThreadAsync();
        await conversations.FollowAsync(thread.Id, Agent);
        thread = await SingleThreadAsync();
        Assert.True(thread.Followers.Single(f => f.Address == agentBox.Address).Subscribed);
        await WaitForOutboxIdleAsync();

        // Anna writes: the agent and Bo hear of it.
        var annaAuto = (await anna.WaitForMessagesAsync(1))[0];
        await anna.SendAsync(ReplyTo(annaAuto, anna, "Anna Andersson", Mailbox, "Any news?"));
        await WaitForInboxAsync(Mailbox, 2);
        await ImportAsync();
        await agentBox.WaitForMessagesAsync(1);
        var boCount = (await bo.WaitForMessagesAsync(2)).Count;

        // The agent stops the emails from the chip; Bo is taken out of the conversation.
        await conversations.SetFollowerAsync(thread.Followers.Single(f => f.Address == agentBox.Address).Id, null, false, "test");
        await conversations.SetFollowerAsync(thread.Followers.Single(f => f.Address == bo.Address).Id, false, null, "test");
        await anna.SendAsync(ReplyTo(annaAuto, anna, "Anna Andersson", Mailbox, "Hello?"));
        await WaitForInboxAsync(Mailbox, 3);
        await ImportAsync();
        await WaitForOutboxIdleAsync();
        Assert.Single(await agentBox.MessagesAsync());
        Assert.Equal(boCount, (await bo.MessagesAsync()).Count);

        // Following again brings the emails back.
        await conversations.FollowAsync(thread.Id, Agent);
        await anna.SendAsync(ReplyTo(annaAuto, anna, "Anna Andersson", Mailbox, "Third try."));
        await WaitForInboxAsync(Mailbox, 4);
        await ImportAsync();
        var agentInbox = await agentBox.WaitForMessagesAsync(2);
        Assert.Contains("Third try.", agentInbox[^1].HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_internal_note_is_kept_apart_and_never_emailed_or_quoted()
    {
        var original = Mail(anna, "Anna Andersson", Mailbox, "Refund", "I want a refund.");
        await Mailbox.DeliverAsync(original);
        await ImportAsync();
        var thread = await SingleThreadAsync();
        await WaitForOutboxIdleAsync();
        var before = (await OutboxAsync()).Count;

        var note = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(
            thread.Id, Guid.Empty, "Customer since 2019; refund approved by **finance**.", [], [], Agent.Name, Agent.Email, Agent.UserId, Internal: true));
        Assert.True(note.Succeeded, string.Join("; ", note.Errors.Values));
        thread = await SingleThreadAsync();
        var stored = Assert.Single(thread.Messages, m => m.Internal);
        Assert.Contains("<strong>finance</strong>", stored.Body.Html, StringComparison.Ordinal);
        Assert.Equal(before, (await OutboxAsync()).Count);

        // A real reply afterwards quotes the thread without the note.
        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(thread.Id, AccountId, "Refund is on its way.", [anna.Address], [], Agent.Name, Agent.Email));
        Assert.True(reply.Succeeded);
        var annaInbox = await anna.WaitForMessagesAsync(2);
        Assert.Contains("Refund is on its way.", annaInbox[^1].HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("finance", annaInbox[^1].HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commits_publish_what_changed_and_rollbacks_publish_nothing()
    {
        var feed = Host.Get<ChangeFeed>();
        var seen = new List<ChangeBatch>();
        void Record(ChangeBatch batch)
        {
            lock (seen)
            {
                seen.Add(batch);
            }
        }

        feed.Published += Record;
        try
        {
            var store = Host.Get<ObjectStore>();
            await using (var session = await store.OpenAsync("test"))
            {
                var kept = await session.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Kept" });
                await session.SavepointAsync("one");
                await session.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Rolled back" });
                await session.RollbackToSavepointAsync("one");
                await session.UpdateAsync("company", kept, new Dictionary<string, object?> { ["name"] = "Kept!" });
                Assert.Empty(Snapshot());
                await session.CommitAsync();
                var batch = Assert.Single(Snapshot());
                Assert.Equal([new RecordChange("company", kept, ChangeKind.Created), new RecordChange("company", kept, ChangeKind.Updated)], batch.Changes);
                Assert.Equal("test", batch.Actor);
            }

            await using (var session = await store.OpenAsync("test"))
            {
                await session.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Never" });
            }

            Assert.Single(Snapshot());

            // The import publishes too: a ticket, its conversation and message in one batch.
            await Mailbox.DeliverAsync(Mail(anna, "Anna", Mailbox, "Live", "Hello"));
            await ImportAsync();
            Assert.Contains(Snapshot(), b => b.Created("helpdesk").Any() && b.Created("conversationmessage").Any());
        }
        finally
        {
            feed.Published -= Record;
        }

        List<ChangeBatch> Snapshot()
        {
            lock (seen)
            {
                return [.. seen];
            }
        }
    }

    private static long Id(IReadOnlyDictionary<string, object?> row) => Convert.ToInt64(row["_id"], CultureInfo.InvariantCulture);
}
