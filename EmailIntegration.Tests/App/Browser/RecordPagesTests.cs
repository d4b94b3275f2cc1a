using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// Record pages from real imported mail: a ticket leads with its thread, what the integration keeps is read-only,
/// documents show by name, type and size; people and companies show the messages they follow.
/// </summary>
public sealed class RecordPagesTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task A_ticket_leads_with_its_thread_keeps_internal_fields_read_only_and_lists_documents_by_name_type_and_size()
    {
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Olle", "olle@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "Quote attached";
        var body = new BodyBuilder { TextBody = "See the quote." };
        body.Attachments.Add("quote-2026.pdf", new byte[3 * 1024], new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        await mailbox.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);
        var ticket = (long)Assert.Single(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous))["_id"]!;
        var conversation = (long)Assert.Single(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("conversation"), QueryContext.Anonymous))["_id"]!;

        await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, await Host.CreateUserAsync(Roles.Support), AppHost.SupportPassword);
        await page.GotoAsync($"/objects/helpdesk/{ticket}");
        var layout = page.GetByTestId("thread-first");
        await Expect(layout.Locator(".ei-ticket-thread [data-testid=conversation-thread]")).ToContainTextAsync("See the quote.");
        await Expect(layout.Locator(".ei-ticket-side [data-testid=record-fields]")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<bool>(
            "() => document.querySelector('.ei-ticket-thread').getBoundingClientRect().left < document.querySelector('.ei-ticket-side').getBoundingClientRect().left"),
            "the thread is not before the fields");
        await Expect(page.GetByTestId("tab-item").Filter(new() { HasText = "quote-2026.pdf" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("document-info")).ToHaveTextAsync("PDF · 3 KB");

        // The page follows commits: one elsewhere (the thread) and one on the ticket itself (its status).
        var store = Host.Get<ObjectStore>();
        await store.UpdateAsync("conversation", conversation, new Dictionary<string, object?> { ["subject"] = "Quote attached (v2)" }, "test");
        await store.UpdateAsync("helpdesk", ticket, new Dictionary<string, object?> { ["status"] = "started" }, "test");
        await Expect(page.GetByTestId("field-status")).ToContainTextAsync("Started");
        await Expect(page.GetByTestId("conversation-thread")).ToContainTextAsync("Quote attached (v2)");
        await Expect(page.GetByTestId("field-lastactivity")).ToHaveCountAsync(0);

        // The conversation's thread id and unread state are the integration's: shown, not editable.
        await page.GotoAsync($"/objects/conversation/{conversation}");
        await Expect(page.GetByTestId("record-internal-fields")).ToContainTextAsync("Thread");
        await Expect(page.GetByTestId("field-threadid")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("field-earliestunread")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("field-subject")).ToBeEditableAsync();
    }

    [Fact]
    public async Task What_a_person_typed_survives_commits_that_land_before_they_save_and_is_what_gets_stored()
    {
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Printer on fire");
        var store = Host.Get<ObjectStore>();
        var ticket = (long)Assert.Single(await store.QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous))["_id"]!;
        var conversation = (long)Assert.Single(await store.QueryAsync(new LimeQuery("conversation"), QueryContext.Anonymous))["_id"]!;

        await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, await Host.CreateUserAsync(Roles.Support), AppHost.SupportPassword);
        await page.GotoAsync($"/objects/helpdesk/{ticket}");
        await WaitInteractiveAsync(page);
        var description = page.GetByTestId("field-description");
        await description.FillAsync("Customer called: toner replaced.");
        await description.BlurAsync();

        // Mail and another agent commit on the thread and on the ticket while the edit is unsaved.
        await store.UpdateAsync("conversation", conversation, new Dictionary<string, object?> { ["subject"] = "Printer on fire (2)" }, "test");
        await store.UpdateAsync("helpdesk", ticket, new Dictionary<string, object?> { ["status"] = "started" }, "test");
        await Expect(page.GetByTestId("field-status")).ToContainTextAsync("Started");
        await Expect(description).ToHaveValueAsync("Customer called: toner replaced.");

        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page.Locator(".mud-snackbar")).ToContainTextAsync("Saved.");
        var stored = await store.GetAsync("helpdesk", ticket);
        Assert.Equal("Customer called: toner replaced.", stored!["description"]);
        Assert.Equal("started", stored["status"]);
    }

    [Fact]
    public async Task A_person_and_their_company_show_the_messages_the_person_follows_newest_first()
    {
        var store = Host.Get<ObjectStore>();
        var company = await store.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Acme" }, "test");
        var person = await store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Pia Printer", ["email"] = "printer@customer.test", ["company"] = company }, "test");
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Printer on fire", "Invoice 4711");
        await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Printer jams again");

        var page = await NewPageAsync();
        await Host.CreateUserAsync(Roles.Administrator);
        await SignInAsync(page, await Host.CreateUserAsync(Roles.Support), AppHost.SupportPassword);
        foreach (var path in new[] { $"/objects/person/{person}", $"/objects/company/{company}" })
        {
            await page.GotoAsync(path);
            var feed = page.GetByTestId("activity-feed");
            await Expect(feed).ToBeVisibleAsync();
            // Only Pia's messages, the newest first; the invoice came from someone else.
            await Expect(feed.Locator("a")).ToHaveTextAsync(["Printer jams again", "Printer on fire"]);
        }
    }
}
