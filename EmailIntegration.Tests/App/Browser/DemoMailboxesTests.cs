using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Demo;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>The demo mailboxes page and the customer simulator, on a demo App with no mail server.</summary>
public sealed class DemoMailboxesTests(BrowserFixture browser) : BrowserTestBase(browser, new AppHost
{
    WatchMailboxes = true,
    SendMail = true,
    Settings = new Dictionary<string, string>(BuiltInMail.Settings(demo: true))
    {
        ["EmailIntegration:CustomerSimulator:Enabled"] = "true",
        ["EmailIntegration:CustomerSimulator:Delay"] = "00:00:01",
    },
})
{
    private const string Customer = "new.customer@customer.example";

    [Fact]
    public async Task A_new_customer_writes_from_the_page_the_simulator_answers_the_agent_and_a_reply_as_the_customer_threads()
    {
        Host.StartServer();
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/demo-mailboxes");
        await WaitInteractiveAsync(page);

        await page.GetByText("Write as a new customer").ClickAsync();
        await page.GetByTestId("new-customer-subject").FillAsync("Demo question");
        await page.GetByTestId("new-customer-text").FillAsync("Is anyone there?");
        await page.GetByTestId("new-customer-send").ClickAsync();
        var conversation = await WaitAsync(async () => (await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("conversation")
        {
            Filter = System.Text.Json.Nodes.JsonNode.Parse("""{"key":"subject","op":"=","exp":"Demo question"}"""),
        }, QueryContext.Anonymous)).Select(r => (long)r["_id"]!).FirstOrDefault(), id => id != 0);

        // The agent answers; the simulated customer answers back in the thread.
        var reply = await Host.Get<ReplyService>().QueueAsync(new ReplyRequest(conversation, (await DeskAsync()), "Yes, we are here.", [Customer], [], "Alex Agent", "agent@helpdesk.example"));
        Assert.True(reply.Succeeded, string.Join("; ", reply.Errors.Values));
        var thread = await WaitAsync(() => ThreadAsync(conversation), t => t.Messages.Count >= 3);
        Assert.True(thread.Messages[^1].Incoming);
        Assert.Equal(Customer, thread.Messages[^1].FromAddress);

        // Reply as the customer from the page: the desk's answer is in the customer's mailbox, the reply threads.
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        await page.GetByTestId("demo-address").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = Customer }).ClickAsync();
        await page.GetByTestId("demo-message").Filter(new() { HasText = "Demo question", HasNotText = "automatic" }).First.ClickAsync();
        await Expect(page.GetByTestId("demo-message-view")).ToContainTextAsync("Message-ID");
        await Expect(page.GetByTestId("demo-message-body")).ToContainTextAsync("Yes, we are here.");
        await page.GetByTestId("demo-reply-text").FillAsync("One more question from the page.");
        await page.GetByTestId("demo-reply-send").ClickAsync();
        thread = await WaitAsync(() => ThreadAsync(conversation), t => t.Messages.Any(m => m.Body.Html.Contains("One more question from the page.", StringComparison.Ordinal)));
        Assert.Single(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("conversation")
        {
            Filter = System.Text.Json.Nodes.JsonNode.Parse("""{"key":"subject","op":"?","exp":"Demo question"}"""),
        }, QueryContext.Anonymous));
    }

    private async Task<Guid> DeskAsync() =>
        (await Host.Get<EmailIntegration.Core.Accounts.AccountService>().ListAsync()).Single(a => a.EmailAddress == DemoSetup.DeskAddress).Id;

    private async Task<ConversationThread> ThreadAsync(long conversation) =>
        (await Host.Get<ConversationService>().ThreadsForAsync("conversation", conversation)).Single();

    private static async Task<T> WaitAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var value = await read();
        while (!done(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            value = await read();
        }

        Assert.True(done(value), $"not reached in time: {value}");
        return value;
    }
}
