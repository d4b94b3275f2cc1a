using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

[RunsLong(70)]
public sealed class OutOfTheBoxTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task An_account_without_a_conversation_parent_is_warned_about_and_the_one_click_mapping_makes_a_ticket_of_the_next_mail()
    {
        // A fresh install: the default runtime configuration has no conversation parent.
        var mailbox = TestMailbox.New();
        var account = await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address));
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        await page.GotoAsync("/");
        await Expect(page.GetByTestId("no-parent-alert")).ToContainTextAsync(mailbox.Address);
        await page.GotoAsync("/settings/email-integration/runtime-configuration");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("use-standard-mapping").ClickAsync();
        await Expect(page.GetByText("now makes a ticket")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("no-parent-alert")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("configuration-editor").Locator(".view-lines")).ToContainTextAsync(account.Id!.Value.ToString());

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Nils Nilsson", "nils@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "The first ticket";
        message.Body = new TextPart("plain") { Text = "Hello, the scanner jams." };
        await mailbox.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(account.Id.Value, ImportTrigger.Manual)).Imported);

        var tickets = await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous);
        var ticket = Assert.Single(tickets);
        Assert.Equal(("The first ticket", "email", "nils@customer.test"), ((string?)ticket["subject"], (string?)ticket["source"], (string?)ticket["email"]));
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("no-parent-alert")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("start-tickets")).ToContainTextAsync("1 ticket");
    }

    [Fact]
    public async Task The_first_account_added_on_the_Accounts_page_is_offered_the_standard_mapping_right_there()
    {
        var mailbox = TestMailbox.New();
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/email-integration/accounts");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("no-parent-alert")).ToHaveCountAsync(0);

        await page.GetByTestId("add-account").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByText("IMAP/SMTP with a password").ClickAsync();
        await Field(dialog, "account-name").FillAsync("Support");
        await Field(dialog, "account-email").FillAsync(mailbox.Address);
        await Field(dialog, "imap-host").FillAsync(MailStack.Host);
        await Field(dialog, "imap-port").FillAsync(MailStack.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Field(dialog, "smtp-host").FillAsync(MailStack.Host);
        await Field(dialog, "smtp-port").FillAsync(MailStack.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Field(dialog, "account-password").FillAsync(MailStack.Password);
        await dialog.GetByTestId("account-save").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);

        // The new account makes no ticket yet, and the page offers the guide's mapping at once.
        await Expect(page.GetByTestId("no-parent-alert")).ToContainTextAsync(mailbox.Address);
        await page.GetByTestId("use-standard-mapping").ClickAsync();
        await Expect(page.GetByText("now makes a ticket")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("no-parent-alert")).ToHaveCountAsync(0);

        var account = (await Host.Get<AccountService>().ListAsync()).Single().Id;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("nils@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "Added and mapped";
        message.Body = new TextPart("plain") { Text = "Hello" };
        await mailbox.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);
        Assert.Equal("Added and mapped", (string?)Assert.Single(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous))["subject"]);
    }

    [Fact]
    public async Task Mail_imported_before_the_mapping_gets_its_tickets_with_one_click_and_a_second_run_creates_nothing_more()
    {
        var mailbox = TestMailbox.New();
        var account = (await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        foreach (var subject in new[] { "Printer on fire", "Invoice 4711", "Password reset" })
        {
            var message = new MimeMessage();
            message.From.Add(MailboxAddress.Parse($"{subject.Split(' ')[0].ToLowerInvariant()}@customer.test"));
            message.To.Add(MailboxAddress.Parse(mailbox.Address));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = "About: " + subject };
            await mailbox.AppendAsync(message);
        }

        Assert.Equal(3, (await Host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/email-integration/runtime-configuration");
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("orphans")).ToHaveCountAsync(0);

        // Once the mapping names the account, its three conversations are listed, each linked.
        await page.GetByTestId("use-standard-mapping").ClickAsync();
        await Expect(page.GetByTestId("orphan-count")).ToHaveTextAsync("3 conversations");
        await page.GetByTestId("orphan-list").GetByText("Show them").ClickAsync();
        await Expect(page.GetByTestId("orphan-link")).ToHaveCountAsync(3);
        await Expect(page.GetByTestId("orphan-link").Filter(new() { HasText = "Invoice 4711" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^/objects/conversation/\\d+$"));

        await ScreenshotAsync(page, "conversations-without-ticket");
        await page.GetByTestId("create-parents").ClickAsync();
        await Expect(page.GetByText("Created 3 tickets.")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("orphans")).ToHaveCountAsync(0);
        var tickets = await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk"), QueryContext.Anonymous);
        Assert.Equal(["Invoice 4711", "Password reset", "Printer on fire"], tickets.Select(t => (string?)t["subject"]).Order(StringComparer.Ordinal));

        Assert.Equal(0, (await Host.Get<MissingParents>().CreateAsync("admin")).Total);
        Assert.Equal(3, await Host.Get<ObjectStore>().CountAsync("helpdesk", null, QueryContext.Anonymous));
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await Expect(page.GetByTestId("orphans")).ToHaveCountAsync(0);
    }

    private static ILocator Field(ILocator dialog, string testId) =>
        dialog.Locator($"input[data-testid={testId}], [data-testid={testId}] input");
}
