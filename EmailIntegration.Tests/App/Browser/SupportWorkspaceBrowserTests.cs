using EmailIntegration.Core.Users;
using EmailIntegration.Core.Views;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// A support person's day in Chromium against an App that watches a real mailbox and sends through the
/// stack: mail shows up live, opening reads it, replies take the ticket, customers' answers come back.
/// </summary>
[RunsLong(55)]
public sealed class SupportWorkspaceBrowserTests(BrowserFixture browser)
    : BrowserTestBase(browser, new AppHost { WatchMailboxes = true, SendMail = true })
{
    private readonly TestMailbox customer = TestMailbox.New("customer");
    private readonly TestMailbox agentBox = TestMailbox.New("agent");
    private TestMailbox? shared;

    [Fact]
    public async Task Mail_shows_live_in_the_inbox_tiles_and_title_and_opening_it_reads_it_everywhere()
    {
        var (_, mailbox) = await SetUpAsync();
        var inbox = await SignedInPageAsync(agentBox.Address, "/objects/helpdesk");
        var start = await SignedInPageAsync(agentBox.Address, "/");

        // The first mail proves the watcher is idling; the second shows up without a reload (how fast is the
        // latency and accounts benchmarks' business, not a functional test's on a busy machine).
        await mailbox.DeliverAsync(Mail("Warm-up", "Hello"));
        await Expect(Row(inbox, "Warm-up")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(UnreadTile(start)).ToHaveTextAsync("1");

        await mailbox.DeliverAsync(Mail("Printer on fire", "It smokes."));
        await Expect(Row(inbox, "Printer on fire")).ToBeVisibleAsync();
        await Expect(Row(inbox, "Printer on fire")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("ei-unread-row"));
        await Expect(Row(inbox, "Printer on fire").GetByLabel("Unread")).ToBeVisibleAsync();
        await Expect(UnreadTile(start)).ToHaveTextAsync("2");
        await Expect(start.GetByTestId("attention-item").First).ToHaveTextAsync("Printer on fire");
        await Expect(start.GetByTestId("empty-state")).ToHaveCountAsync(0);
        await Expect(inbox.GetByTestId("nav-unread-count")).ToHaveTextAsync("2");
        await Expect(inbox).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\(2\) "));

        // Opening the ticket reads it: the list, the tile, the navigation and the tab title follow.
        await Row(inbox, "Printer on fire").GetByRole(AriaRole.Link, new() { Name = "Printer on fire" }).ClickAsync();
        await Expect(inbox.GetByTestId("thread-first")).ToBeVisibleAsync();
        await Expect(inbox.GetByTestId("message-body")).ToContainTextAsync("It smokes.");
        await Expect(inbox.GetByTestId("unread-chip")).ToHaveCountAsync(0);
        await Expect(UnreadTile(start)).ToHaveTextAsync("1");
        await Expect(start.GetByTestId("attention-item")).ToHaveTextAsync(["Warm-up"]);
        await Expect(inbox.GetByTestId("nav-unread-count")).ToHaveTextAsync("1");
        await Expect(inbox).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(@"^\(1\) "));

        // Marked unread again from the message, it counts again.
        await inbox.GetByTestId("toggle-read").ClickAsync();
        await Expect(UnreadTile(start)).ToHaveTextAsync("2");
    }

    [Fact]
    public async Task Send_and_set_status_takes_the_ticket_and_the_customers_answer_reaches_the_agent_and_bumps_it()
    {
        var (_, mailbox) = await SetUpAsync();
        await mailbox.DeliverAsync(Mail("Older ticket", "First."));
        await mailbox.DeliverAsync(Mail("Newer ticket", "Second."));
        var page = await SignedInPageAsync(agentBox.Address, "/objects/helpdesk");
        await Expect(Row(page, "Newer ticket")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(Row(page, "Older ticket")).ToBeVisibleAsync();

        await ReplyAsync(page, "Older ticket", "We are on it.", status: "started");
        await Expect(page.GetByTestId("field-status")).ToContainTextAsync("Started");
        await Expect(page.GetByTestId("field-coworker")).ToHaveValueAsync("Support user");
        await ReplyAsync(page, "Newer ticket", "Looking into it.", status: null);

        // Mine, newest activity first: the newer ticket leads until the customer answers the older one.
        await page.GotoAsync("/objects/helpdesk?filter=webclient.helpdesk.mine");
        await Expect(page.GetByTestId("object-table").Locator("tbody tr").First).ToContainTextAsync("Newer ticket");
        var answered = await customer.WaitForMessagesAsync(2);
        var agentReply = answered.Single(m => m.TextBody?.Contains("We are on it.", StringComparison.Ordinal) == true || m.HtmlBody?.Contains("We are on it.", StringComparison.Ordinal) == true);
        var answer = ReplyTo(agentReply, "Thanks, it works now.");
        // A Date header has whole seconds: a customer's clock a little ahead keeps the answer after the replies of this same second
        // (a date in the future counts as the moment the message is stored).
        answer.Date = DateTimeOffset.UtcNow.AddSeconds(2);
        await customer.SendAsync(answer);

        await Expect(page.GetByTestId("agent-notice")).ToContainTextAsync("Older ticket");
        await Expect(page.GetByTestId("object-table").Locator("tbody tr").First).ToContainTextAsync("Older ticket");
        var agentMail = await agentBox.WaitForMessagesAsync(1);
        Assert.Contains("Thanks, it works now.", agentMail[0].HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_agent_sees_who_is_replying_and_unfollowing_stops_the_next_email()
    {
        var (_, mailbox) = await SetUpAsync();
        var other = TestMailbox.New("colleague");
        await Host.CreateUserAsync(Roles.Support, other.Address);
        await mailbox.DeliverAsync(Mail("Two agents", "Who answers?"));
        var mine = await SignedInPageAsync(agentBox.Address, "/objects/helpdesk");
        await Expect(Row(mine, "Two agents")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var href = await Row(mine, "Two agents").GetByRole(AriaRole.Link, new() { Name = "Two agents" }).GetAttributeAsync("href");
        await mine.GotoAsync(href!);
        var theirs = await SignedInPageAsync(other.Address, href!);
        await Expect(theirs.GetByTestId("presence")).ToContainTextAsync("Support user is viewing");

        await WaitInteractiveAsync(mine);
        await mine.GetByTestId("reply").ClickAsync();
        await Expect(theirs.GetByTestId("presence")).ToContainTextAsync("is replying");
        await mine.GetByTestId("reply-text").FillAsync("I take this one.");
        await mine.GetByTestId("reply-send").ClickAsync();
        await Expect(theirs.GetByTestId("presence")).Not.ToContainTextAsync("is replying");
        await Expect(theirs.GetByTestId("message-body").Last).ToContainTextAsync("I take this one.");

        // The agent follows after replying; from the chip they stop the emails, and the next answer sends them none.
        await Expect(mine.GetByTestId("unfollow")).ToBeVisibleAsync();
        await mine.GetByTestId("unfollow").ClickAsync();
        await Expect(mine.GetByTestId("follow")).ToBeVisibleAsync();
        await Expect(mine.Locator($"[data-testid=follower-chip][data-address='{agentBox.Address}']")).ToHaveAttributeAsync("data-subscribed", "false");
        var reply = (await customer.WaitForMessagesAsync(2)).Single(m => m.HtmlBody?.Contains("I take this one.", StringComparison.Ordinal) == true);
        await customer.SendAsync(ReplyTo(reply, "Thank you!"));
        // (The customer's Date has whole seconds, so the answer may sort beside the reply of the same second.)
        await Expect(mine.GetByTestId("message-body").Filter(new() { HasText = "Thank you!" })).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // Following again: the next answer reaches the agent.
        await mine.GetByTestId("follow").ClickAsync();
        await Expect(mine.GetByTestId("unfollow")).ToBeVisibleAsync();
        await customer.SendAsync(ReplyTo(reply, "One more thing."));
        var agentMail = await agentBox.WaitForMessagesAsync(1);
        Assert.Single(agentMail);
        Assert.Contains("One more thing.", agentMail[0].HtmlBody, StringComparison.Ordinal);
    }

    private async Task<(Guid AccountId, TestMailbox Mailbox)> SetUpAsync()
    {
        var connected = await ImportedTickets.ConnectAsync(Host);
        shared = connected.Mailbox;
        foreach (var file in ShippedConfiguration.Files)
        {
            var plan = await Host.Get<ConfigImporter>().ImportAsync(file.Text(), "test");
            Assert.True(plan.CanImport, string.Join("; ", plan.AllErrors.Select(e => e.Message)));
        }

        // An install has its administrator (without one, sign-in leads to the first-run page).
        await Host.CreateUserAsync(Roles.Administrator);
        await Host.CreateUserAsync(Roles.Support, agentBox.Address);
        return connected;
    }

    private async Task<IPage> SignedInPageAsync(string email, string path)
    {
        var page = await NewPageAsync();
        await SignInAsync(page, email, AppHost.SupportPassword);
        await page.GotoAsync(path);
        await WaitInteractiveAsync(page);
        return page;
    }

    private static async Task ReplyAsync(IPage page, string subject, string text, string? status)
    {
        await page.GotoAsync("/objects/helpdesk");
        await Row(page, subject).GetByRole(AriaRole.Link, new() { Name = subject }).ClickAsync();
        await WaitInteractiveAsync(page);
        await page.GetByTestId("reply").ClickAsync();
        await page.GetByTestId("reply-text").FillAsync(text);
        if (status is null)
        {
            await page.GetByTestId("reply-send").ClickAsync();
        }
        else
        {
            await page.GetByTestId("reply-send-status").ClickAsync();
            await page.GetByTestId($"reply-send-status-{status}").ClickAsync();
        }

        await Expect(page.GetByTestId("message-body").Last).ToContainTextAsync(text);
    }

    private static ILocator Row(IPage page, string subject) =>
        page.GetByTestId("object-table").Locator("tbody tr").Filter(new() { HasText = subject });

    private static ILocator UnreadTile(IPage page) => page.GetByTestId("tile-helpdesk.unread-tickets").GetByTestId("tile-value");

    private MimeMessage Mail(string subject, string text) => Mail(subject, text, shared!);

    private MimeMessage Mail(string subject, string text, TestMailbox to)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Carla Customer", customer.Address));
        message.To.Add(MailboxAddress.Parse(to.Address));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private MimeMessage ReplyTo(MimeMessage original, string text)
    {
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Carla Customer", customer.Address));
        reply.To.Add(original.From.Mailboxes.First());
        reply.Subject = original.Subject ?? "";
        reply.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        reply.InReplyTo = original.MessageId!;
        reply.References.Add(original.MessageId!);
        reply.Body = new TextPart("plain") { Text = text };
        return reply;
    }
}
