using EmailIntegration.Core.Notifications;
using EmailIntegration.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

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
            await AnswerEverythingAsync(xavier);
            await AnswerEverythingAsync(yvonne);
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

    /// <summary>A responder that answers every new message and says nothing about being automatic.</summary>
    private async Task AnswerEverythingAsync(TestMailbox mailbox)
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(mailbox.Address, MailStack.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadWrite);
        foreach (var uid in await imap.Inbox.SearchAsync(SearchQuery.NotSeen))
        {
            var incoming = await imap.Inbox.GetMessageAsync(uid);
            await Mailbox.DeliverAsync(ReplyTo(incoming, mailbox, "Out of office", Mailbox, "I am out of the office."));
            await imap.Inbox.AddFlagsAsync(uid, MessageFlags.Seen, true);
        }

        await imap.DisconnectAsync(true);
    }
}
