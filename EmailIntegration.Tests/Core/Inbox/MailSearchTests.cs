using System.Text;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Inbox;
using MimeKit;

namespace EmailIntegration.Tests.Core.Inbox;

public sealed class MailSearchTests : InboxTestBase
{
    [Fact]
    public async Task A_word_only_in_an_attachments_file_name_finds_its_ticket()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Ada", "ada@customer.test"));
        message.To.Add(MailboxAddress.Parse(Mailbox.Address));
        message.Subject = "See attached";
        var body = new BodyBuilder { TextBody = "Details in the file." };
        body.Attachments.Add("Quarterly-Kilimanjaro-report.pdf", Encoding.ASCII.GetBytes("%PDF-1.4"), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        await Mailbox.AppendAsync(message);
        await Mailbox.AppendAsync(Mail("x1@customer.test", "bo@customer.test", "Unrelated", Now.AddDays(-1), "Nothing about mountains."));
        await ImportAsync();

        Assert.Equal(["See attached"], await ListAsync("kilimanjaro"));
        Assert.Equal(["See attached"], await ListAsync("Quarterly-Kilimanjaro-report.pdf"));
        Assert.Equal(["See attached"], await ListAsync("kiliman"));
    }

    [Fact]
    public async Task A_word_only_in_the_first_message_of_a_long_thread_still_finds_the_ticket()
    {
        await Mailbox.AppendAsync(Mail("t1@customer.test", "ada@customer.test", "Order problem", Now.AddDays(-9), "The serial number is ZX81-SPECTRUM."));
        var previous = "t1@customer.test";
        for (var i = 2; i <= 4; i++)
        {
            await Mailbox.AppendAsync(Mail($"t{i}@customer.test", "ada@customer.test", "Re: Order problem", Now.AddDays(-9 + i), $"Any news? ({i})", replyTo: previous));
            previous = $"t{i}@customer.test";
        }

        await Mailbox.AppendAsync(Mail("o1@customer.test", "bo@customer.test", "Other order", Now.AddDays(-1), "No serial here."));
        await ImportAsync();
        Assert.Single(await QueryAsync("conversation", "subject", "Order problem"));

        Assert.Equal(["Order problem"], await ListAsync("spectrum"));
        Assert.Equal(["Order problem"], await ListAsync("zx81"));
        Assert.Equal(["Other order", "Order problem"], await ListAsync("serial"));
        Assert.Equal(2, await CountAsync("serial"));
    }

    [Fact]
    public async Task The_senders_address_or_name_finds_their_tickets_and_no_others()
    {
        await Mailbox.AppendAsync(Mail("s1@customer.test", "Anna Lindqvist <anna.lindqvist@northwind.test>", "Shipping", Now.AddDays(-2), "Hi."));
        await Mailbox.AppendAsync(Mail("s2@customer.test", "Anna Berg <anna@contoso.test>", "Billing", Now.AddDays(-1), "Hello."));
        await ImportAsync();

        Assert.Equal(["Shipping"], await ListAsync("anna.lindqvist@northwind.test"));
        Assert.Equal(["Billing"], await ListAsync("anna@contoso.test"));
        Assert.Equal(["Shipping"], await ListAsync("northwind"));
        Assert.Equal(["Billing", "Shipping"], await ListAsync("Anna"));
        Assert.Equal(["Shipping"], await ListAsync("anna lindq"));
    }

    [Fact]
    public async Task Index_rows_wait_for_the_commit_and_a_rollback_to_a_savepoint_drops_those_written_after_it()
    {
        await Mailbox.AppendAsync(Mail("k1@customer.test", "ada@customer.test", "Kept", Now.AddDays(-2), "Nothing yet."));
        await Mailbox.AppendAsync(Mail("d1@customer.test", "bo@customer.test", "Dropped", Now.AddDays(-1), "Nothing yet."));
        await ImportAsync();
        var kept = (long)(await QueryAsync("conversation", "subject", "Kept")).Single()[EmailIntegration.Core.Crm.Schema.CrmSchema.IdKey]!;
        var dropped = (long)(await QueryAsync("conversation", "subject", "Dropped")).Single()[EmailIntegration.Core.Crm.Schema.CrmSchema.IdKey]!;
        var index = Host.Get<IMailSearchIndex>();

        await using (var session = await Host.Get<ObjectStore>().OpenAsync("test"))
        {
            await index.AddAsync(session, 900_001, kept, new MailSearchText("Zebra", "zebra crossing", null, null, []), CancellationToken.None);
            await session.SavepointAsync("message");
            await index.AddAsync(session, 900_002, dropped, new MailSearchText("Giraffe", "giraffe neck", null, null, []), CancellationToken.None);
            await session.RollbackToSavepointAsync("message");
            await session.SavepointAsync("message");
            await index.AddAsync(session, 900_003, kept, new MailSearchText("Okapi", "okapi stripes", null, null, []), CancellationToken.None);
            await session.ReleaseSavepointAsync("message");

            // Nothing is searchable before the commit.
            Assert.Empty(await ListAsync("zebra"));
            await session.CommitAsync();
        }

        Assert.Equal(["Kept"], await ListAsync("zebra"));
        Assert.Equal(["Kept"], await ListAsync("okapi"));
        Assert.Empty(await ListAsync("giraffe"));
    }

    [Theory]
    [InlineData("\"", 0)]
    [InlineData("*", 0)]
    [InlineData("-", 0)]
    [InlineData("( ) : ^ + \"\" ''", 0)]
    [InlineData("AND", 1)]
    [InlineData("OR", 0)]
    [InlineData("printer AND", 1)]
    [InlineData("printer -fire", 1)]
    [InlineData("\"printer", 1)]
    [InlineData("printer\"*", 1)]
    [InlineData("NEAR(printer fire)", 0)]
    [InlineData("subject:printer", 0)]
    [InlineData("body:printer", 0)]
    [InlineData("fir*", 1)]
    [InlineData("'; DROP TABLE lt_helpdesk; --", 0)]
    public async Task What_would_be_search_syntax_is_searched_as_text(string typed, int found)
    {
        await Mailbox.AppendAsync(Mail("p1@customer.test", "ada@customer.test", "Printer", Now.AddDays(-1), "The printer and the fire near it."));
        await ImportAsync();

        var tickets = await ListAsync(typed);

        Assert.Equal(found, tickets.Count);
        Assert.Single(await QueryAsync("helpdesk"));
    }

    [Fact]
    public async Task Only_a_conversation_parent_searches_mail_and_the_search_ands_the_list_filter()
    {
        await Mailbox.AppendAsync(Mail("u1@customer.test", "ada@customer.test", "Modem", Now.AddDays(-2), "The modem blinks."));
        await Mailbox.AppendAsync(Mail("u2@customer.test", "bo@customer.test", "Router", Now.AddDays(-1), "The modem is fine, the router blinks."));
        await ImportAsync();
        Assert.Null(await Host.Get<InboxService>().ForAsync("person"));
        Assert.Null(await Host.Get<InboxService>().ForAsync("conversation"));

        var tickets = await TicketsAsync();
        var rows = await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk")
        {
            Match = InboxService.Match(tickets, "blinks"),
            Filter = new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = "Modem" },
        }, QueryContext.Anonymous);

        Assert.Equal("Modem", Assert.Single(rows)["subject"]);
        Assert.Equal(["Router", "Modem"], await ListAsync("modem"));
    }
}
