using EmailIntegration.Core.Import;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class InboxBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task The_ticket_list_shows_newest_activity_first_and_Search_all_mail_finds_a_ticket_by_an_older_message()
    {
        // Three tickets from real mail; then the oldest one's customer writes again.
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        var now = DateTimeOffset.UtcNow;
        await mailbox.AppendAsync(Mail("Printer on fire", "ada@customer.test", now.AddHours(-3), "The printer smells of burnt toast.", "p1@customer.test"));
        await mailbox.AppendAsync(Mail("Invoice 4711", "bo@customer.test", now.AddHours(-2), "The amount is wrong.", "i1@customer.test"));
        await mailbox.AppendAsync(Mail("Password reset", "cy@customer.test", now.AddHours(-1), "I forgot it.", "r1@customer.test"));
        await Import(accountId, 3);
        var answer = Mail("Re: Printer on fire", "ada@customer.test", now.AddMinutes(-10), "The fire brigade has left.", "p2@customer.test");
        answer.InReplyTo = "p1@customer.test";
        answer.References.Add("p1@customer.test");
        await mailbox.AppendAsync(answer);
        await Import(accountId, 1);

        await Host.CreateUserAsync(Roles.Administrator);
        var support = await Host.CreateUserAsync(Roles.Support);
        var page = await NewPageAsync();
        await SignInAsync(page, support, AppHost.SupportPassword);
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);

        var table = page.GetByTestId("object-table");
        await Expect(table.Locator("thead")).ToContainTextAsync("Last activity");
        var rows = table.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Printer on fire");
        await Expect(rows.Nth(1)).ToContainTextAsync("Password reset");
        await Expect(rows.Nth(2)).ToContainTextAsync("Invoice 4711");
        await Expect(page.GetByTestId("object-search")).ToHaveCountAsync(0);

        // A word only in the first message of the thread, and a sender's address.
        var search = page.Locator("[data-testid=mail-search] input, input[data-testid=mail-search]").First;
        await Expect(search).ToHaveAttributeAsync("placeholder", "Search all mail");
        await search.FillAsync("toast");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Printer on fire");
        await ScreenshotAsync(page, "ticket-list-search");
        await search.FillAsync("bo@customer.test");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Invoice 4711");
        // Search syntax typed into the box is text: the quote and the minus find nothing more or less, AND is a word.
        await search.FillAsync("\"brigade* -");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First).ToContainTextAsync("Printer on fire");
        await search.FillAsync("brigade AND");
        await Expect(table).ToContainTextAsync("Nothing matches the search.");
        await Expect(table.Locator("tbody tr", new() { HasText = "Printer on fire" })).ToHaveCountAsync(0);

        await search.FillAsync("");
        await Expect(rows).ToHaveCountAsync(3);
        await Expect(rows.Nth(0)).ToContainTextAsync("Printer on fire");
    }

    private async Task Import(Guid accountId, int expected)
    {
        var run = await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual);
        Assert.Equal(expected, run.Imported);
    }

    private static MimeMessage Mail(string subject, string from, DateTimeOffset date, string text, string messageId)
    {
        var message = new MimeMessage { Subject = subject, Date = date, MessageId = messageId, Body = new TextPart("plain") { Text = text } };
        message.From.Add(new MailboxAddress("Customer", from));
        message.To.Add(new MailboxAddress("Support", "support@example.test"));
        return message;
    }
}
