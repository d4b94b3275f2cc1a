using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Inbox;
using EmailIntegration.Tests.Core.Import;
using Microsoft.Extensions.Time.Testing;

namespace EmailIntegration.Tests.Core.Inbox;

/// <summary>A shared mailbox with the guide's configuration (tickets), a clock that stands still, and the ticket list as the inbox shows it.</summary>
public abstract class InboxTestBase() : ImportTestBase(new FakeTimeProvider(Now))
{
    protected static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A plain-text mail with a Date header, optionally a reply (In-Reply-To and References).</summary>
    protected static string Mail(string messageId, string from, string subject, DateTimeOffset date, string body, string? replyTo = null) => Raw($"""
        From: {from}
        To: support@example.test
        Subject: {subject}
        Message-ID: <{messageId}>
        Date: {date:ddd, dd MMM yyyy HH:mm:ss} +0000
        {(replyTo is null ? "X-Thread: new" : $"In-Reply-To: <{replyTo}>\r\nReferences: <{replyTo}>")}
        Content-Type: text/plain; charset=utf-8
        """, body);

    protected async Task<InboxList> TicketsAsync() => await Host.Get<InboxService>().ForAsync("helpdesk") ?? throw new InvalidOperationException("helpdesk is no conversation parent");

    /// <summary>The tickets' subjects as the inbox lists them: newest activity first, optionally only those whose mail matches.</summary>
    protected async Task<IReadOnlyList<string>> ListAsync(string? search = null, int offset = 0, int limit = 50)
    {
        var tickets = await TicketsAsync();
        var match = search is null ? null : InboxService.Match(tickets, search);
        if (search is not null && match is null)
        {
            return [];
        }

        var rows = await Host.Get<ObjectStore>().QueryAsync(
            new LimeQuery("helpdesk") { Match = match, Order = [InboxService.DefaultOrder(tickets)], Offset = offset, Limit = limit }, QueryContext.Anonymous);
        return rows.Select(r => (string)r["subject"]!).ToList();
    }

    /// <summary>How many tickets a search finds (the pager's total).</summary>
    protected async Task<long> CountAsync(string search) =>
        await Host.Get<ObjectStore>().CountAsync(new LimeQuery("helpdesk") { Match = InboxService.Match(await TicketsAsync(), search) }, QueryContext.Anonymous);

    protected async Task<DateTime?> LastActivityAsync(string limetype, string subject)
    {
        var rows = await QueryAsync(limetype, "subject", subject);
        return (DateTime?)Assert.Single(rows)[LastActivity.Property];
    }
}
