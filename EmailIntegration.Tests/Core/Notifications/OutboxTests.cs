using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>The outbox against a real SMTP server that goes away and comes back, refuses recipients, or is cut mid-send.</summary>
public sealed class OutboxTests() : NotificationTestBase(new AppHost
{
    SendMail = true,
    Settings = new Dictionary<string, string>
    {
        ["EmailIntegration:Outbox:RetryDelay"] = "00:00:01",
        ["EmailIntegration:Outbox:MaxRetryDelay"] = "00:00:02",
        ["EmailIntegration:Outbox:PollInterval"] = "00:00:01",
    },
}), IAsyncLifetime
{
    private readonly TestMailbox anna = TestMailbox.New("anna");
    private readonly TestMailbox bo = TestMailbox.New("bo");
    private readonly TcpForwarder smtp = new(MailStack.Host, MailStack.SubmissionPort);

    async Task IAsyncLifetime.InitializeAsync()
    {
        await base.InitializeAsync();
        // The account sends through a port the test can take away.
        smtp.Start();
        await SaveAccountAsync(input => input with { Smtp = new MailServer(MailStack.Host, smtp.Port, MailSecurity.StartTls) });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await smtp.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task During_an_outage_mail_queues_with_its_next_retry_and_afterwards_each_is_delivered_exactly_once()
    {
        smtp.Stop();
        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Outage", "Is anyone there?", bo));
        await ImportAsync();
        var thread = await SingleThreadAsync();
        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(thread.Id, AccountId, "We are here.", [anna.Address, bo.Address], [], "Agent", null));
        Assert.True(reply.Succeeded);

        // Two auto-replies and two replies wait, each with its next attempt and the reason.
        var waiting = await WaitForAsync(rows => rows.Count == 4 && rows.All(r => r.State == OutboxState.Retrying));
        Assert.All(waiting, r =>
        {
            Assert.True(r.Attempts >= 1);
            Assert.True(r.NextAttemptUtc > r.CreatedUtc);
            Assert.Contains("Could not connect", r.LastError, StringComparison.Ordinal);
        });
        var listed = await Host.Get<OutboxLog>().RecentAsync(AccountId, OutboxState.Retrying);
        Assert.Equal(4, listed.Count);

        smtp.Start();
        var sent = await WaitForAsync(rows => rows.All(r => r.State == OutboxState.Sent), TimeSpan.FromSeconds(30));
        Assert.Equal(4, sent.Count);

        // Give a duplicate every chance to arrive (a pass ends once the relay has delivered what it sent), then count.
        await OutboxPassesAsync(3);
        foreach (var mailbox in new[] { anna, bo })
        {
            var messages = await mailbox.MessagesAsync();
            Assert.Equal(2, messages.Count);
            Assert.Equal(2, messages.Select(m => m.MessageId).Distinct().Count());
            Assert.All(messages, m => Assert.Contains(sent, r => r.MessageId == m.MessageId));
        }
    }

    [Fact]
    public async Task A_refused_recipient_fails_at_once_without_retrying_and_the_others_are_sent()
    {
        var gone = TestMailbox.New("bounce");
        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Bounce", "One of us has no mailbox.", gone));
        await ImportAsync();

        var rows = await WaitForAsync(r => r.Count == 2 && r.All(o => o.State is OutboxState.Sent or OutboxState.Failed));
        var failed = Assert.Single(rows, r => r.State == OutboxState.Failed);
        Assert.Equal(gone.Address, Assert.Single(failed.Recipients).Address);
        Assert.Equal(1, failed.Attempts);
        Assert.Contains("550", failed.LastError, StringComparison.Ordinal);
        await OutboxPassesAsync(3);
        Assert.Equal(1, (await OutboxAsync()).Single(r => r.Id == failed.Id).Attempts);
        Assert.Single(await anna.MessagesAsync());
    }

    [Fact]
    public async Task A_row_left_mid_send_by_a_stopped_process_is_not_sent_again_until_an_admin_resends_it()
    {
        var id = Guid.NewGuid();
        await using (var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            db.Add(new OutboxMessage
            {
                Id = id,
                AccountId = AccountId,
                Kind = OutboxKind.Notification,
                MessageId = NotificationDispatcher.NewMessageId(Mailbox.Address),
                FromAddress = Mailbox.Address,
                Subject = "Interrupted",
                Html = "<p>Interrupted</p>",
                State = OutboxState.Sending,
                Attempts = 1,
                CreatedUtc = DateTime.UtcNow,
                NextAttemptUtc = DateTime.UtcNow,
                Recipients = [new OutboxRecipient { Address = anna.Address }],
            });
            await db.SaveChangesAsync();
        }

        // The send job does the same on each pass; whoever does it, the row is set aside, not sent.
        await Host.Get<OutboxSender>().ReleaseInterruptedAsync();
        var row = Assert.Single(await OutboxAsync());
        Assert.Equal(OutboxState.Failed, row.State);
        Assert.Equal(OutboxSender.Interrupted, row.LastError);
        await OutboxPassesAsync(2);
        Assert.Empty(await anna.MessagesAsync());

        Assert.True(await Host.Get<OutboxLog>().ResendAsync(id));
        await WaitForAsync(r => r.Single().State == OutboxState.Sent);
        Assert.Equal("Interrupted", Assert.Single(await anna.WaitForMessagesAsync(1)).Subject);
        Assert.False(await Host.Get<OutboxLog>().ResendAsync(id));
    }

    [Fact]
    public async Task A_connection_cut_after_the_message_was_written_is_not_retried_because_it_may_have_been_delivered()
    {
        // Plain SMTP through the forwarder, which drops the line before the server's answer to DATA.
        var input = MailStack.PasswordAccount(Mailbox.Address) with { Smtp = new MailServer(MailStack.Host, smtp.Port, MailSecurity.None) };
        Assert.True((await Host.Get<AccountService>().SaveAsync(AccountId, input)).Succeeded);
        smtp.CutAfterData = true;
        await Mailbox.DeliverAsync(Mail(anna, "Anna Andersson", Mailbox, "Cut", "Hello?"));
        await ImportAsync();

        var row = Assert.Single(await WaitForAsync(r => r.Single().State == OutboxState.Failed));
        Assert.Contains("may have been delivered", row.LastError, StringComparison.Ordinal);
        Assert.Equal(1, row.Attempts);
        // Passes go on; none sends it again.
        await OutboxPassesAsync(3);
        Assert.Equal(1, Assert.Single(await OutboxAsync()).Attempts);
        Assert.True((await anna.MessagesAsync()).Count <= 1);
    }

    [Fact]
    public void Retry_delays_double_up_to_the_maximum_without_overflowing()
    {
        var options = new OutboxOptions { RetryDelay = TimeSpan.FromSeconds(30), MaxRetryDelay = TimeSpan.FromHours(1) };
        Assert.Equal(TimeSpan.FromSeconds(30), options.RetryDelayFor(1));
        Assert.Equal(TimeSpan.FromSeconds(60), options.RetryDelayFor(2));
        Assert.Equal(TimeSpan.FromSeconds(240), options.RetryDelayFor(4));
        Assert.Equal(TimeSpan.FromHours(1), options.RetryDelayFor(8));
        Assert.Equal(TimeSpan.FromHours(1), options.RetryDelayFor(1000));
        Assert.Equal(TimeSpan.FromDays(2), new OutboxOptions { RetryDelay = TimeSpan.FromDays(1), MaxRetryDelay = TimeSpan.FromDays(2) }.RetryDelayFor(60));
    }

    /// <summary>Passes of the outbox job (which run every second here anyway), run now and waited for.</summary>
    private Task OutboxPassesAsync(int passes) => JobRuns.RunAsync(Host, new Quartz.JobKey("outbox", "notifications"), passes);

    private async Task<List<OutboxMessage>> WaitForAsync(Func<List<OutboxMessage>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var rows = await OutboxAsync();
            if (rows.Count > 0 && condition(rows))
            {
                return rows;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("The outbox never reached the expected state: " + string.Join("; ", rows.Select(r => $"{r.State} {r.Attempts} {r.LastError}")));
            }

            await Task.Delay(200);
        }
    }
}
