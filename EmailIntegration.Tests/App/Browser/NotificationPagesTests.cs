using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

[RunsLong(65)]
public sealed class NotificationPagesTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task An_admin_writes_a_template_from_the_default_with_a_live_preview_and_a_misspelt_code_is_refused()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/email-integration/templates");
        await WaitInteractiveAsync(page);

        await page.GetByTestId("add-template").ClickAsync();
        await page.GetByTestId("use-default-template").ClickAsync();
        await Expect(page.GetByTestId("template-html")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("conversation_messages"));
        var preview = page.FrameLocator("[data-testid=template-preview]");
        await Expect(preview.Locator("body")).ToContainTextAsync("my printer only blinks");
        await Expect(page.GetByTestId("merge-codes")).ToContainTextAsync("follower_addresses_mailto");

        // Typing updates the preview; a misspelt code is refused with its name.
        var html = await page.GetByTestId("template-html").InputValueAsync();
        await page.GetByTestId("template-html").FillAsync(html.Replace("<body>", "<body><p id=\"hello\">Dear {{ recipient_name }}, {{ recipent_name }}</p>", StringComparison.Ordinal));
        await Expect(preview.Locator("#hello")).ToContainTextAsync("Dear Bo Berg");
        await ScreenshotAsync(page, "templates");
        await page.GetByTestId("save-template").ClickAsync();
        await Expect(page.GetByTestId("template-error")).ToContainTextAsync("{{ recipent_name }}");

        await page.GetByTestId("template-html").FillAsync(html.Replace("<body>", "<body><p>Dear {{ recipient_name }}</p>", StringComparison.Ordinal));
        await page.GetByTestId("template-language").FillAsync("sv");
        await page.GetByTestId("save-template").ClickAsync();
        await Expect(page.GetByTestId("template-row")).ToContainTextAsync("sv");

        var saved = Assert.Single(await Host.Get<TemplateService>().ListAsync());
        Assert.Equal("sv", saved.Language);
        Assert.Contains("Dear {{ recipient_name }}", saved.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_replies_from_the_ticket_with_markdown_and_an_attachment_and_the_reply_is_queued()
    {
        var mailbox = TestMailbox.New();
        var accountId = (await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        Assert.Empty(await Host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(accountId), "test"));
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Anna Andersson", "anna@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "Broken screen";
        message.Body = new TextPart("plain") { Text = "The screen is black." };
        await mailbox.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);

        // Support staff reply; an administrator exists (otherwise the App asks for its first-run setup).
        await Host.CreateUserAsync(Roles.Administrator);
        var support = await Host.CreateUserAsync(Roles.Support);
        var page = await NewPageAsync();
        await SignInAsync(page, support, AppHost.SupportPassword);
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await page.GetByText("Broken screen").First.ClickAsync();
        var thread = page.GetByTestId("conversation-thread");
        await thread.GetByTestId("reply").ClickAsync();

        var composer = thread.GetByTestId("reply-composer");
        await Expect(composer.GetByTestId("reply-recipient")).ToHaveAttributeAsync("data-selected", "true");
        await Expect(composer.GetByTestId("reply-recipient")).ToContainTextAsync("anna@customer.test");
        await composer.GetByTestId("reply-text").FillAsync("Please **hold the power button** for ten seconds.\n\n<script>alert(1)</script>");
        await ChooseFilesAsync(composer.GetByTestId("reply-files"), new FilePayload { Name = "steps.txt", MimeType = "text/plain", Buffer = "1. Hold\n2. Wait"u8.ToArray() });
        // The file shows as a chip once it is read; until then Send waits.
        await Expect(composer.GetByTestId("reply-file")).ToContainTextAsync("steps.txt");
        await Expect(composer.GetByTestId("reply-send")).ToBeEnabledAsync();
        await ScreenshotAsync(page, "reply");
        await composer.GetByTestId("reply-send").ClickAsync();

        await Expect(page.GetByText("Reply queued for 1 recipient")).ToBeVisibleAsync();
        var sent = thread.GetByTestId("conversation-message").Filter(new() { Has = page.GetByTestId("outgoing-chip") });
        await Expect(sent.Locator("strong")).ToHaveTextAsync("hold the power button");
        await Expect(sent.Locator("script")).ToHaveCountAsync(0);
        await Expect(sent.GetByTestId("attachment-link")).ToContainTextAsync("steps.txt");

        await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        OutboxMessage? reply = null;
        while (reply is null && DateTime.UtcNow < deadline)
        {
            reply = await db.Set<OutboxMessage>().AsNoTracking().Include(o => o.Recipients).FirstOrDefaultAsync(o => o.Kind == OutboxKind.Reply);
            await Task.Delay(200);
        }

        Assert.NotNull(reply);
        Assert.Equal("anna@customer.test", Assert.Single(reply.Recipients).Address);
        Assert.Contains("steps.txt", reply.Attachments, StringComparison.Ordinal);
        Assert.Contains("<strong>hold the power button</strong>", reply.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_logs_tab_shows_the_outbox_with_reasons_and_resends_a_failed_message()
    {
        var mailbox = TestMailbox.New();
        var accountId = (await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        var id = Guid.NewGuid();
        await using (var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            db.Add(new OutboxMessage
            {
                Id = id,
                AccountId = accountId,
                Kind = OutboxKind.Notification,
                MessageId = NotificationDispatcher.NewMessageId(mailbox.Address),
                FromAddress = mailbox.Address,
                Subject = "Re: Broken screen",
                Html = "<p>x</p>",
                State = OutboxState.Failed,
                Attempts = 1,
                LastError = "The server answered 550: No such mailbox here",
                CreatedUtc = DateTime.UtcNow,
                NextAttemptUtc = DateTime.UtcNow,
                Recipients = [new OutboxRecipient { Address = "gone@customer.test" }],
            });
            await db.SaveChangesAsync();
        }

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await Expect(page.GetByTestId("start-outbox-alert")).ToContainTextAsync("1 outgoing email was not sent in the last 7 days.");
        await page.GotoAsync("/settings/email-integration/logs");
        await WaitInteractiveAsync(page);
        var outbox = page.GetByTestId("outbox");
        await Expect(outbox).ToContainTextAsync("gone@customer.test");
        await Expect(outbox.GetByTestId("outbox-details")).ToContainTextAsync("550");
        await outbox.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(page, "outbox");
        await outbox.GetByTestId("resend").ClickAsync();
        await Expect(page.GetByText("Queued to send now.")).ToBeVisibleAsync();
        await Expect(outbox.GetByTestId("outbox-state-cell")).ToContainTextAsync("Queued");
    }
}
