using System.Text.RegularExpressions;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Demo;
using EmailIntegration.Core.Mail.BuiltIn;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// A newcomer's first minutes with <c>--demo</c> on a fresh data folder and no mail server: sample tickets on
/// the dashboard, new mail live in the inbox, and the agent's reply in the customer's built-in mailbox.
/// </summary>
public sealed class DemoNewcomerTests(BrowserFixture browser)
    : BrowserTestBase(browser, new AppHost { WatchMailboxes = true, SendMail = true, Settings = BuiltInMail.Settings(demo: true) })
{
    [Fact]
    public async Task A_demo_shows_tickets_at_once_takes_new_mail_live_and_delivers_the_agents_reply_to_the_customer()
    {
        Host.StartServer();
        var agent = await Host.CreateUserAsync(Roles.Support);
        var page = await NewPageAsync();
        await SignInAsync(page, agent, AppHost.SupportPassword);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("demo-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("tile-helpdesk.unread-tickets").GetByTestId("tile-value")).ToHaveTextAsync(new Regex("^[1-9][0-9]*$"), new() { Timeout = 60_000 });
        await Expect(page.GetByTestId("attention-item").First).ToBeVisibleAsync(new() { Timeout = 60_000 });

        // The sample mailbox's pass ends (the watcher is idle again) before the next mail is timed.
        await WaitForSampleImportAsync();

        // Mail from outside, through the built-in SMTP port, shows live in the open inbox.
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Nora Newcomer", "nora@customer.example"));
        message.To.Add(MailboxAddress.Parse(DemoSetup.DeskAddress));
        message.Subject = "Trying the demo";
        message.Body = new TextPart("plain") { Text = "Does this become a ticket?" };
        await BuiltInMail.SendAsync(Host, message);
        var row = page.GetByTestId("object-table").Locator("tbody tr").Filter(new() { HasText = "Trying the demo" });
        try
        {
            await Expect(row).ToBeVisibleAsync();
        }
        catch (PlaywrightException)
        {
            // Says which half failed: the import, or the live update of the open page.
            var stored = await Host.Get<ObjectStore>().CountAsync("helpdesk", Filter.Eq("subject", "Trying the demo"), QueryContext.Anonymous);
            Assert.Fail($"The new mail is not in the open inbox; tickets with its subject in the database: {stored}. The App's log:\n{Host.Logs.Text[^Math.Min(Host.Logs.Text.Length, 6000)..]}");
        }

        // The agent's reply goes out through the built-in mailbox and lands in the customer's.
        await row.GetByRole(AriaRole.Link, new() { Name = "Trying the demo" }).ClickAsync();
        await WaitInteractiveAsync(page);
        await page.GetByTestId("reply").ClickAsync();
        await page.GetByTestId("reply-text").FillAsync("Yes, and this answer reached you.");
        await page.GetByTestId("reply-send").ClickAsync();
        var store = Host.Get<MailStore>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        StoredFolder? inbox = null;
        while (DateTime.UtcNow < deadline && (inbox = await store.FolderAsync("nora@customer.example", MailStore.Inbox))!.Messages.Count < 2)
        {
            await Task.Delay(100);
        }

        Assert.True(inbox!.Messages.Count >= 2, $"the customer's mailbox holds {inbox.Messages.Count} messages (an auto-reply and the answer expected)");
        var texts = new List<string>();
        foreach (var stored in inbox.Messages)
        {
            await using var raw = store.OpenMessage(stored);
            texts.Add((await MimeMessage.LoadAsync(raw)).HtmlBody ?? "");
        }

        Assert.Contains(texts, t => t.Contains("Yes, and this answer reached you.", StringComparison.Ordinal));
    }

    private async Task WaitForSampleImportAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await Host.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<EmailIntegration.Core.Persistence.AppDbContext>>().CreateDbContextAsync();
            // The sample mail may arrive over several passes; each pass is recorded when it ends.
            if (await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SumAsync(
                db.Set<EmailIntegration.Core.Import.ImportRun>(), r => r.Imported) >= 49)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The sample mailbox was not imported within a minute.");
    }
}
