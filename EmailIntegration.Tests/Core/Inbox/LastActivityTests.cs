using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Inbox;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Views;

namespace EmailIntegration.Tests.Core.Inbox;

public sealed class LastActivityTests : InboxTestBase
{
    [Fact]
    public async Task The_import_keeps_the_newest_message_time_on_conversation_and_ticket_and_a_reply_brings_an_older_ticket_to_the_top()
    {
        var day = Now.AddDays(-3);
        await Mailbox.AppendAsync(Mail("a1@customer.test", "ada@customer.test", "Printer on fire", day, "It burns."));
        await Mailbox.AppendAsync(Mail("b1@customer.test", "bo@customer.test", "Invoice 4711", day.AddHours(1), "Wrong amount."));
        await ImportAsync();

        Assert.Equal(day.UtcDateTime, await LastActivityAsync("helpdesk", "Printer on fire"));
        Assert.Equal(day.UtcDateTime, await LastActivityAsync("conversation", "Printer on fire"));
        Assert.Equal(["Invoice 4711", "Printer on fire"], await ListAsync());

        // The older ticket's customer answers: it is the newest activity now, though created first.
        await Mailbox.AppendAsync(Mail("a2@customer.test", "ada@customer.test", "Re: Printer on fire", day.AddHours(2), "Still burning.", replyTo: "a1@customer.test"));
        await ImportAsync();

        Assert.Equal(day.AddHours(2).UtcDateTime, await LastActivityAsync("helpdesk", "Printer on fire"));
        Assert.Equal(day.AddHours(2).UtcDateTime, await LastActivityAsync("conversation", "Printer on fire"));
        Assert.Equal(day.AddHours(1).UtcDateTime, await LastActivityAsync("helpdesk", "Invoice 4711"));
        Assert.Equal(["Printer on fire", "Invoice 4711"], await ListAsync());
        Assert.Equal(["Invoice 4711"], await ListAsync(offset: 1, limit: 1));
    }

    [Fact]
    public async Task A_late_message_with_an_old_date_leaves_the_last_activity_and_a_date_in_the_future_counts_as_now()
    {
        await Mailbox.AppendAsync(Mail("c1@customer.test", "cy@customer.test", "Delivery", Now.AddDays(-1), "Where is it?"));
        await ImportAsync();
        await Mailbox.AppendAsync(Mail("c0@customer.test", "cy@customer.test", "Re: Delivery", Now.AddDays(-5), "Sent last week, arrived today.", replyTo: "c1@customer.test"));
        await Mailbox.AppendAsync(Mail("d1@spam.test", "top@spam.test", "Always first", Now.AddYears(5), "Dated in 2031."));
        await ImportAsync();

        Assert.Equal(Now.AddDays(-1).UtcDateTime, await LastActivityAsync("helpdesk", "Delivery"));
        Assert.Equal(Now.UtcDateTime, await LastActivityAsync("helpdesk", "Always first"));
    }

    [Fact]
    public async Task An_agents_reply_moves_its_ticket_to_the_top_and_is_searchable_once_queued()
    {
        await Mailbox.AppendAsync(Mail("e1@customer.test", "eve@customer.test", "Login broken", Now.AddDays(-2), "Cannot sign in."));
        await Mailbox.AppendAsync(Mail("f1@customer.test", "fay@customer.test", "Refund", Now.AddDays(-1), "Please refund."));
        await ImportAsync();
        Assert.Equal(["Refund", "Login broken"], await ListAsync());
        var conversation = Assert.Single(await QueryAsync("conversation", "subject", "Login broken"));

        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(
            (long)conversation[CrmSchema.IdKey]!, AccountId, "Reset your **passphrase** here.", ["eve@customer.test"], [], "Agent Smith", null));

        Assert.True(reply.Succeeded, string.Join("; ", reply.Errors.Values));
        Assert.Equal(Now.UtcDateTime, await LastActivityAsync("helpdesk", "Login broken"));
        Assert.Equal(["Login broken", "Refund"], await ListAsync());
        Assert.Equal(["Login broken"], await ListAsync("passphrase"));
        Assert.Equal(["Login broken"], await ListAsync("Agent Smith"));
    }

    [Fact]
    public async Task Marking_read_changes_no_activity()
    {
        await Mailbox.AppendAsync(Mail("g1@customer.test", "gus@customer.test", "Old question", Now.AddDays(-4), "Hello?"));
        await ImportAsync();
        var conversation = Assert.Single(await QueryAsync("conversation", "subject", "Old question"));

        await Host.Get<ConversationService>().MarkReadAsync((long)conversation[CrmSchema.IdKey]!, null, "agent");

        Assert.Equal(Now.AddDays(-4).UtcDateTime, await LastActivityAsync("helpdesk", "Old question"));
    }

    [Fact]
    public async Task A_database_that_had_mail_before_gets_last_activity_and_search_from_its_messages_once()
    {
        // Records as an older version stored them: no last activity, nothing in the search index.
        var store = Host.Get<ObjectStore>();
        var ticket = await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "From before" }, "test");
        var conversation = await store.CreateAsync("conversation", new Dictionary<string, object?> { ["subject"] = "From before", ["helpdesk"] = ticket }, "test");
        foreach (var (body, date) in new[] { ("<p>The <b>gearbox</b> rattles.</p>", Now.AddDays(-9)), ("<p>Still rattling.</p>", Now.AddDays(-8)) })
        {
            await store.CreateAsync("conversationmessage", new Dictionary<string, object?>
            {
                ["message"] = body,
                ["date"] = date,
                ["conversation"] = conversation,
                ["fromaddress"] = "old@customer.test",
                ["subject"] = "From before",
            }, "test");
        }

        var empty = await store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Phoned in" }, "test");
        Assert.Null(await LastActivityAsync("helpdesk", "From before"));
        Assert.Empty(await ListAsync("gearbox"));

        await MarkPendingAsync();
        await Host.Get<InboxBackfill>().RunIfPendingAsync();

        Assert.Equal(Now.AddDays(-8).UtcDateTime, await LastActivityAsync("helpdesk", "From before"));
        Assert.Equal(Now.AddDays(-8).UtcDateTime, await LastActivityAsync("conversation", "From before"));
        Assert.Null((await store.GetAsync("helpdesk", empty))![LastActivity.Property]);
        Assert.Equal(["From before"], await ListAsync("gearbox"));
        Assert.Equal(["From before"], await ListAsync("old@customer.test"));
        Assert.Equal(["From before", "Phoned in"], await ListAsync());

        // Done once: a second start indexes nothing twice.
        await Host.Get<InboxBackfill>().RunIfPendingAsync();
        Assert.Equal(1, await CountAsync("gearbox"));
    }

    [Fact]
    public async Task The_default_view_of_a_ticket_list_shows_the_last_activity_as_a_date()
    {
        var schema = await Host.Get<SchemaService>().GetAsync();

        var column = Assert.Single(DefaultViews.For(schema, schema.Get("helpdesk")).Columns, c => c.Property == LastActivity.Property);
        Assert.Equal(ViewComponentNames.Date, column.Component);
        Assert.True(column.IsDefault);
        Assert.DoesNotContain(DefaultViews.For(schema, schema.Get("person")).Columns, c => c.Property == LastActivity.Property);
    }

    private async Task MarkPendingAsync()
    {
        await using var session = await Host.Get<ObjectStore>().OpenAsync("test");
        await session.ExecuteAsync("INSERT INTO \"PendingBackfills\" (\"Name\") VALUES (@name)", [("@name", InboxBackfill.Name)], CancellationToken.None);
        await session.CommitAsync();
    }
}
