using EmailIntegration.Core.Notifications;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>Two followers whose auto-responders do not say they are automatic: the notification cap ends their exchange.</summary>
public sealed class ResponderLoopTests() : NotificationTestBase(new AppHost
{
    SendMail = true,
    Settings = new Dictionary<string, string> { ["EmailIntegration:Outbox:NotificationLimit"] = "3" },
})
{
    private readonly TestMailbox xavier = TestMailbox.New("xavier");
    private readonly TestMailbox yvonne = TestMailbox.New("yvonne");

    [Fact]
    public async Task Two_unmarked_auto_responders_in_one_conversation_stop_at_the_cap()
    {
        await Mailbox.DeliverAsync(Mail(xavier, "Xavier", Mailbox, "Quarterly numbers", "Yvonne in copy.", yvonne));
        for (var round = 0; round < 8; round++)
        {
            await ImportAsync();
            await WaitForOutboxIdleAsync();
            await AnswerEverythingAsync(xavier, "Xavier", null);
            await AnswerEverythingAsync(yvonne, "Yvonne", null);
        }

        // One auto-reply each, then three notifications each, then nothing more.
        Assert.Equal(4, (await xavier.MessagesAsync()).Count);
        Assert.Equal(4, (await yvonne.MessagesAsync()).Count);
        var rows = await OutboxAsync();
        Assert.Equal(2, rows.Count(r => r.Kind == OutboxKind.AutoReply));
        Assert.Equal(6, rows.Count(r => r.Kind == OutboxKind.Notification));
        var decisions = await Host.Get<OutboxLog>().DecisionsAsync(AccountId);
        Assert.Contains(decisions, d => d.Outcome!.Contains("No notification to", StringComparison.Ordinal));
    }
}
