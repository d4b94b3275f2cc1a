using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class ImportPagesTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task An_admin_saves_the_runtime_configuration_and_reads_an_imported_ticket_with_its_conversation_safely()
    {
        var mailbox = TestMailbox.New();
        var account = await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address));
        var accountId = account.Id!.Value;
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        // The runtime configuration: a wrong one is refused with its path, the guide's example is saved.
        await page.GotoAsync("/settings/email-integration/runtime-configuration");
        await WaitInteractiveAsync(page);
        var seed = MailStack.SeedRuntimeConfiguration(accountId);
        await SetCodeEditorTextAsync(page, "configuration-editor", seed.Replace("\"limetype\": \"helpdesk\"", "\"limetype\": \"helpdesks\"", StringComparison.Ordinal));
        await page.GetByTestId("save-configuration").ClickAsync();
        await Expect(page.GetByTestId("configuration-errors")).ToContainTextAsync("conversationParents[0].limetype");
        await SetCodeEditorTextAsync(page, "configuration-editor", seed);
        await page.GetByTestId("save-configuration").ClickAsync();
        await Expect(page.GetByText("Runtime configuration saved")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("configuration-errors")).ToHaveCountAsync(0);

        // A hostile HTML mail with an attachment arrives and is imported.
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mallory", "mallory@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "Invoice question";
        var body = new BodyBuilder
        {
            HtmlBody = """<p id="greeting">Hello <b>support</b></p><img src="x" onerror="document.title='pwned'"><img src="https://tracker.test/p.gif"><script>document.title='pwned'</script>""",
        };
        body.Attachments.Add("invoice.pdf", "%PDF-1.4 test"u8.ToArray(), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        await mailbox.AppendAsync(message);
        var run = await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual);
        Assert.Equal(1, run.Imported);

        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await page.GetByText("Invoice question").First.ClickAsync();
        var thread = page.GetByTestId("conversation-thread");
        await Expect(thread.GetByTestId("message-body")).ToContainTextAsync("Hello support");
        await Expect(thread.Locator("script")).ToHaveCountAsync(0);
        await Expect(thread.Locator("[onerror]")).ToHaveCountAsync(0);
        await Expect(thread.GetByTestId("show-remote-images")).ToContainTextAsync("Show 1 remote images");
        await Expect(thread.GetByTestId("attachment-link")).ToContainTextAsync("invoice.pdf");
        await Expect(thread.GetByTestId("followers")).ToContainTextAsync("mallory@customer.test");
        Assert.NotEqual("pwned", await page.TitleAsync());
        await thread.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "conversation");

        // Opening reads it; marked unread again from the message, "Mark as read" reads it again.
        await Expect(thread.GetByTestId("unread-chip")).ToHaveCountAsync(0);
        await thread.GetByTestId("toggle-read").ClickAsync();
        await Expect(thread.GetByTestId("unread-chip")).ToBeVisibleAsync();
        await thread.GetByTestId("mark-read").ClickAsync();
        await Expect(thread.GetByTestId("unread-chip")).ToHaveCountAsync(0);

        var download = await page.RunAndWaitForDownloadAsync(() => thread.GetByTestId("attachment-link").ClickAsync());
        Assert.Equal("invoice.pdf", download.SuggestedFilename);

        await page.GotoAsync("/settings/email-integration/logs");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("log-entries")).ToContainTextAsync("Invoice question");
        await Expect(page.GetByTestId("log-runs")).ToContainTextAsync("Manual");
    }
}
