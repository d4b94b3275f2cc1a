using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Tests.Core.Import;

public sealed class ConversationReadingTests : ImportTestBase
{
    [Fact]
    public async Task A_tickets_thread_lists_its_messages_in_order_and_marking_read_keeps_earliest_unread_right()
    {
        await Mailbox.AppendAsync(Raw("From: Ada <ada@customer.test>\r\nSubject: Thread\r\nMessage-ID: <t1@customer.test>\r\nDate: Sat, 28 Nov 2026 09:00:00 +0000\r\nContent-Type: text/html", "<p>First <script>x()</script></p>"));
        await Mailbox.AppendAsync(Raw("From: Bob <bob@customer.test>\r\nSubject: Re: Thread\r\nMessage-ID: <t2@customer.test>\r\nIn-Reply-To: <t1@customer.test>\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000", "Second"));
        await ImportAsync();
        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        var conversations = Host.Get<ConversationService>();

        var thread = Assert.Single(await conversations.ThreadsForAsync("helpdesk", (long)ticket[CrmSchema.IdKey]!));

        Assert.Equal(["ada@customer.test", "bob@customer.test"], thread.Messages.Select(m => m.FromAddress));
        Assert.DoesNotContain("script", thread.Messages[0].Body.Html, StringComparison.Ordinal);
        Assert.Equal(new DateTime(2026, 11, 28, 9, 0, 0, DateTimeKind.Utc), thread.EarliestUnread);
        Assert.Equal(2, thread.Followers.Count);

        await conversations.MarkReadAsync(thread.Id, thread.Messages[0].Id, "test");
        var afterOne = Assert.Single(await conversations.ThreadsForAsync("conversation", thread.Id));
        Assert.Equal(new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Utc), afterOne.EarliestUnread);

        await conversations.MarkReadAsync(thread.Id, null, "test");
        var afterAll = Assert.Single(await conversations.ThreadsForAsync("conversation", thread.Id));
        Assert.Null(afterAll.EarliestUnread);
        Assert.All(afterAll.Messages, m => Assert.True(m.IsRead));
    }
}
