using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

[Collection(BrowserCollection.Name)]
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
}
