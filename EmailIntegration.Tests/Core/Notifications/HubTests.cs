using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>The hub model end to end through Dovecot, reading the followers' real mailboxes.</summary>
public sealed class HubTests : NotificationTestBase
{
    private readonly TestMailbox anna = TestMailbox.New("anna");
    private readonly TestMailbox bo = TestMailbox.New("bo");

    [Fact]
    public async Task Followers_get_their_own_auto_reply_agent_reply_and_notification_and_a_reply_joins_the_conversation()
    {
        var original = Mail(anna, "Anna Andersson", Mailbox, "Printer on fire", "It smokes. Bo is in copy.", bo);
        await Mailbox.DeliverAsync(original);
        await ImportAsync();

        // First message: each follower gets an auto-reply of their own, addressed to them alone.
        var annaInbox = await anna.WaitForMessagesAsync(1);
        var boInbox = await bo.WaitForMessagesAsync(1);
        var annaAuto = Assert.Single(annaInbox);
        var boAuto = Assert.Single(boInbox);
        Assert.Equal([anna.Address], annaAuto.To.Mailboxes.Select(m => m.Address));
        Assert.Equal([bo.Address], boAuto.To.Mailboxes.Select(m => m.Address));
        Assert.NotEqual(annaAuto.MessageId, boAuto.MessageId);
        Assert.Equal("auto-replied", annaAuto.Headers["Auto-Submitted"]);
        Assert.Equal("All", annaAuto.Headers["X-Auto-Response-Suppress"]);
        Assert.Equal(original.MessageId, annaAuto.InReplyTo);
        Assert.Contains(original.MessageId, annaAuto.References);
        Assert.Equal(Mailbox.Address, annaAuto.From.Mailboxes.Single().Address);
        Assert.Equal("Support", annaAuto.From.Mailboxes.Single().Name);
        Assert.Equal("Re: Printer on fire", annaAuto.Subject);
        Assert.Contains("We have received your message", annaAuto.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Anna Andersson", boAuto.HtmlBody, StringComparison.Ordinal);

        // The notification's Message-ID is on the recipient's message follower (replies to it thread back).
        var messageFollowers = await QueryAsync("messagefollower");
        Assert.Contains(messageFollowers, f => Equals(f["messageid"], annaAuto.MessageId));
        Assert.Contains(messageFollowers, f => Equals(f["messageid"], boAuto.MessageId));

        // An agent replies from the browser: each follower gets an individual email.
        var thread = await SingleThreadAsync();
        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(
            thread.Id, AccountId, "Please **unplug** it.", [anna.Address, bo.Address], [], "Agent Smith", "agent.smith@example.test"));
        Assert.True(reply.Succeeded, string.Join("; ", reply.Errors.Values));
        annaInbox = await anna.WaitForMessagesAsync(2);
        boInbox = await bo.WaitForMessagesAsync(2);
        var boAgentMail = boInbox[1];
        Assert.Equal([bo.Address], boAgentMail.To.Mailboxes.Select(m => m.Address));
        Assert.Equal([anna.Address], annaInbox[1].To.Mailboxes.Select(m => m.Address));
        Assert.Contains("<strong>unplug</strong>", boAgentMail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Agent Smith", boAgentMail.HtmlBody, StringComparison.Ordinal);
        // A person wrote it: it does not claim to be automatic.
        Assert.Null(boAgentMail.Headers["Auto-Submitted"]);

        // Bo answers from her mailbox: the reply joins the conversation, Anna is told, Bo is not.
        await bo.SendAsync(ReplyTo(boAgentMail, bo, "Bo Berg", Mailbox, "Unplugged, the smoke stopped."));
        await WaitForInboxAsync(Mailbox, 2);
        await ImportAsync();
        annaInbox = await anna.WaitForMessagesAsync(3);
        Assert.Equal(3, annaInbox.Count);
        var notification = annaInbox[2];
        Assert.Equal("auto-generated", notification.Headers["Auto-Submitted"]);
        Assert.Contains("Unplugged, the smoke stopped.", notification.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Bo Berg", notification.HtmlBody, StringComparison.Ordinal);

        await WaitForOutboxIdleAsync();
        Assert.Equal(2, (await bo.MessagesAsync()).Count);
        thread = await SingleThreadAsync();
        Assert.Equal(3, thread.Messages.Count);
        // Bo's Date header has whole seconds, so she may sort before the agent's reply of the same second.
        Assert.Equal(["agent", "anna", "bo"], thread.Messages.Select(m => m.FromAddress == anna.Address ? "anna" : m.FromAddress == bo.Address ? "bo" : "agent").Order());
        Assert.False(thread.Messages.Single(m => m.FromAddress == Mailbox.Address).Incoming);
        Assert.All(await OutboxAsync(), o => Assert.Equal(OutboxState.Sent, o.State));
    }

    [Fact]
    public async Task Without_personalized_emails_one_email_reaches_all_followers()
    {
        var settings = Host.Get<SettingsStore>();
        var json = (await settings.GetRuntimeJsonAsync()).Replace("\"personalizedEmails\": true", "\"personalizedEmails\": false", StringComparison.Ordinal);
        Assert.Contains("\"personalizedEmails\": false", json, StringComparison.Ordinal);
        Assert.Empty(await settings.SaveRuntimeAsync(json, "test"));

        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Shared update", "Hello both.", bo));
        await ImportAsync();

        var annaMail = Assert.Single(await anna.WaitForMessagesAsync(1));
        var boMail = Assert.Single(await bo.WaitForMessagesAsync(1));
        Assert.Equal(annaMail.MessageId, boMail.MessageId);
        Assert.Equal(new[] { anna.Address, bo.Address }.Order(), annaMail.To.Mailboxes.Select(m => m.Address).Order());
        var row = Assert.Single(await OutboxAsync());
        Assert.Equal(2, row.Recipients.Count);
        Assert.Contains("This message was sent to:", annaMail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_shared_addresses_never_get_notifications()
    {
        var other = TestMailbox.New("other-shared");
        var saved = await Host.Get<EmailIntegration.Core.Accounts.AccountService>().SaveAsync(null, MailStack.PasswordAccount(other.Address, name: "Other desk"));
        Assert.True(saved.Succeeded);

        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Both desks", "Hello.", other));
        await ImportAsync();
        await WaitForOutboxIdleAsync();

        var row = Assert.Single(await OutboxAsync());
        Assert.Equal([anna.Address], row.Recipients.Select(r => r.Address));
        Assert.Equal((0, 0), await other.InboxCountsAsync());
    }

    [Fact]
    public async Task Automatic_mail_starts_no_notifications()
    {
        var bounce = Mail(anna, "Mail Delivery System", Mailbox, "Undeliverable: hello", "The message could not be delivered.", bo);
        bounce.Headers.Add("Auto-Submitted", "auto-replied");
        await Mailbox.DeliverAsync(bounce);
        await ImportAsync();
        await WaitForOutboxIdleAsync();

        Assert.Empty(await OutboxAsync());
        Assert.Single(await QueryAsync("conversationmessage"));
        Assert.Equal((0, 0), await anna.InboxCountsAsync());
    }

    [Fact]
    public async Task Without_personalized_emails_a_refused_follower_does_not_stop_the_others()
    {
        var settings = Host.Get<SettingsStore>();
        Assert.Empty(await settings.SaveRuntimeAsync((await settings.GetRuntimeJsonAsync()).Replace("\"personalizedEmails\": true", "\"personalizedEmails\": false", StringComparison.Ordinal), "test"));
        var gone = TestMailbox.New("bounce");

        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Partly refused", "Hello.", gone));
        await ImportAsync();
        await WaitForOutboxIdleAsync();

        var row = Assert.Single(await OutboxAsync());
        Assert.Equal(OutboxState.Sent, row.State);
        Assert.Contains(gone.Address, row.LastError, StringComparison.Ordinal);
        Assert.Single(await anna.WaitForMessagesAsync(1));
    }

    [Fact]
    public async Task Old_mail_gets_no_auto_reply()
    {
        var old = Mail(anna, "Anna Andersson", Mailbox, "From last week", "Found this unread.");
        old.Date = DateTimeOffset.UtcNow.AddDays(-3);
        await Mailbox.DeliverAsync(old);
        await ImportAsync();
        await WaitForOutboxIdleAsync();

        Assert.Empty(await OutboxAsync());
        var decision = Assert.Single(await Host.Get<OutboxLog>().DecisionsAsync(AccountId));
        Assert.Contains("No auto-replies", decision.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reply_goes_from_the_account_the_conversation_came_in_on()
    {
        var other = TestMailbox.New("other-desk");
        var otherId = (await Host.Get<EmailIntegration.Core.Accounts.AccountService>().SaveAsync(null, MailStack.PasswordAccount(other.Address, name: "Other desk"))).Id!.Value;
        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Which desk", "Hello."));
        await ImportAsync();
        var thread = await SingleThreadAsync();

        var refused = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(thread.Id, otherId, "From the wrong desk", [anna.Address], [], "Agent", null));

        Assert.False(refused.Succeeded);
        Assert.Contains(Mailbox.Address, refused.Errors["account"], StringComparison.Ordinal);
        Assert.Single((await SingleThreadAsync()).Messages);
    }
}
