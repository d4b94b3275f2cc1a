using EmailIntegration.Core.Notifications;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>Auto-responders on the other side cannot start a mail loop with the hub.</summary>
public sealed class LoopTests : NotificationTestBase
{
    private readonly TestMailbox responder = TestMailbox.New("vacation");

    [Fact]
    public async Task A_mailbox_that_answers_everything_gets_one_auto_reply_and_the_exchange_stops()
    {
        await Mailbox.DeliverAsync(Mail(responder, "Away Person", Mailbox, "Question", "Before my holiday: a question."));
        for (var round = 0; round < 4; round++)
        {
            await ImportAsync();
            await WaitForOutboxIdleAsync();
            // Whatever reached the responder's mailbox is answered, marked as an auto-reply (RFC 3834).
            await AnswerEverythingAsync(responder, "Away Person", "auto-replied");
        }

        Assert.Single(await responder.MessagesAsync());
        Assert.Equal(2, (await Mailbox.MessagesAsync()).Count);
        var row = Assert.Single(await OutboxAsync());
        Assert.Equal(OutboxKind.AutoReply, row.Kind);
        var thread = await SingleThreadAsync();
        Assert.Equal(2, thread.Messages.Count);
        Assert.True(thread.Messages[1].Automatic);
    }

    [Fact]
    public async Task A_sender_that_starts_new_threads_without_saying_it_is_automatic_is_capped()
    {
        for (var i = 0; i < 5; i++)
        {
            await Mailbox.DeliverAsync(Mail(responder, "Noisy Robot", Mailbox, $"Report {i}", "Automatic report without any header saying so."));
        }

        await ImportAsync();
        await WaitForOutboxIdleAsync();

        var rows = await OutboxAsync();
        Assert.Equal(3, rows.Count(r => r.Kind == OutboxKind.AutoReply && r.Recipients.Any(x => x.Address == responder.Address)));
        Assert.Equal(3, (await responder.MessagesAsync()).Count);
        // The Logs tab says why the last two got none.
        var decisions = await Host.Get<OutboxLog>().DecisionsAsync(AccountId);
        Assert.Equal(2, decisions.Count(e => e.Outcome!.Contains($"No auto-reply to {responder.Address}", StringComparison.Ordinal)));
    }
}
