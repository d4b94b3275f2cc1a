using System.Collections.Concurrent;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// A mail full of remote references, imported through the real mail stack and opened in Chromium,
/// with every request the browser makes intercepted: none may leave the App's origin until a person
/// asks for one message's remote images, and then only that message's load.
/// </summary>
public sealed class RemoteContentBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    // Every form and position the sanitizer knows, each on the host evil.test, plus this message's own image on one.test.
    private const string HostileHtml = """
        <p id="greeting">Hello <b>support</b></p>
        <img src="https://one.test/first.gif" alt="first">
        <img src="//evil.test/1.gif"><img src="\\evil.test/2.gif"><img src="/\evil.test/3.gif"><img src=" //evil.test/4.gif">
        <img src="/&#9;/evil.test/5.gif"><img src="&#x2f;&#x2f;evil.test/6.gif"><img src="HTTPS:/\evil.test/7.gif">
        <img src="ht&#10;tps://evil.test/8.gif"><img src="&#1;//evil.test/9.gif"><img src="https&colon;//evil.test/10.gif">
        <img srcset="/favicon.png 1x, //evil.test/11.gif 2x"><img src="/favicon.png" srcset="https://evil.test/12.gif 1x">
        <table background="https://evil.test/13.gif"><tr><td>table</td></tr></table>
        <div style="background-image: url('\\\\evil.test/14.gif'); height: 10px">css url</div>
        <div style="background-image: image-set('https://evil.test/15.gif' 1x); height: 10px">image-set</div>
        <div style="background-image: -webkit-image-set(&quot;//evil.test/16.gif&quot; 1x); height: 10px">webkit image-set</div>
        <a href="https://evil.test/17.gif" style="display: block; height: 10px; background-image: url(https://evil.test/17.gif)">link</a>
        <ul style="list-style-image: url(//evil.test/18.gif)"><li>item</li></ul>
        <div style="border: 10px solid; border-image: url(https://evil.test/19.gif) 30 round">border</div>
        <div style="background: u\72l(https://evil.test/20.gif); height: 10px">escaped</div>
        <style>@import 'https://evil.test/21.css'; p { background: url(https://evil.test/22.gif) }</style>
        <link rel="stylesheet" href="https://evil.test/23.css">
        <svg><image href="https://evil.test/24.gif" width="10" height="10"/></svg>
        <video poster="https://evil.test/25.gif"></video>
        <input type="image" src="https://evil.test/26.gif">
        <img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cimage href='https://evil.test/27.gif'/%3E%3C/svg%3E">
        """;

    [Fact]
    public async Task A_mail_full_of_remote_references_fetches_nothing_remote_until_asked_and_then_only_for_that_message()
    {
        var mailbox = TestMailbox.New();
        var accountId = (await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        Assert.Empty(await Host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(accountId), "test"));

        var first = new MimeMessage();
        first.From.Add(new MailboxAddress("Mallory", "mallory@customer.test"));
        first.To.Add(MailboxAddress.Parse(mailbox.Address));
        first.Subject = "Tracked order";
        first.MessageId = "tracked-1@customer.test";
        first.Body = new BodyBuilder { HtmlBody = HostileHtml }.ToMessageBody();
        await mailbox.AppendAsync(first);
        var second = new MimeMessage();
        second.From.Add(new MailboxAddress("Mallory", "mallory@customer.test"));
        second.To.Add(MailboxAddress.Parse(mailbox.Address));
        second.Subject = "Re: Tracked order";
        second.MessageId = "tracked-2@customer.test";
        second.InReplyTo = first.MessageId;
        second.References.Add(first.MessageId);
        second.Date = first.Date.AddMinutes(5);
        second.Body = new BodyBuilder { HtmlBody = """<p id="follow-up">Any news?</p><img src="https://two.test/second.gif" alt="second">""" }.ToMessageBody();
        await mailbox.AppendAsync(second);
        Assert.Equal(2, (await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        var origin = Host.BaseUri.GetLeftPart(UriPartial.Authority);
        var remote = new ConcurrentQueue<string>();
        var withReferrer = new ConcurrentQueue<string>();
        // Remote hosts do not exist here: every request that would leave the App is counted and answered with a pixel.
        await page.Context.RouteAsync("**/*", async route =>
        {
            if (route.Request.Url.StartsWith(origin + "/", StringComparison.OrdinalIgnoreCase))
            {
                await route.ContinueAsync();
                return;
            }

            remote.Enqueue(route.Request.Url);
            if (route.Request.Headers.ContainsKey("referer"))
            {
                withReferrer.Enqueue(route.Request.Url);
            }

            await route.FulfillAsync(new RouteFulfillOptions { Status = 200, ContentType = "image/gif", BodyBytes = Pixel });
        });
        await SignInAsync(page, admin, AppHost.AdminPassword);

        // The ticket: both messages shown, nothing remote fetched, each message's blocked images counted.
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await page.GetByText("Tracked order").First.ClickAsync();
        var thread = page.GetByTestId("conversation-thread");
        var messages = thread.GetByTestId("conversation-message");
        await Expect(messages).ToHaveCountAsync(2);
        await Expect(messages.Nth(0).GetByTestId("message-body")).ToContainTextAsync("Hello support");
        await Expect(messages.Nth(1).GetByTestId("message-body")).ToContainTextAsync("Any news?");
        await Expect(messages.Nth(1).GetByTestId("show-remote-images")).ToContainTextAsync("Show 1 remote images");
        var firstButton = messages.Nth(0).GetByTestId("show-remote-images");
        await Expect(firstButton).ToContainTextAsync("remote images");
        var counted = int.Parse((await firstButton.InnerTextAsync()).Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(counted >= 27, $"every remote reference of the first message is counted, not {counted}");
        await page.WaitForTimeoutAsync(500);
        Assert.Empty(remote);

        // The template preview of that thread fetches nothing remote either.
        await page.GotoAsync("/settings/email-integration/templates");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("add-template").ClickAsync();
        await page.GetByTestId("use-default-template").ClickAsync();
        await page.GetByTestId("preview-source").ClickAsync();
        await page.GetByRole(AriaRole.Option).Filter(new LocatorFilterOptions { HasText = "Tracked order" }).First.ClickAsync();
        var preview = page.FrameLocator("[data-testid=template-preview]");
        await Expect(preview.Locator("body")).ToContainTextAsync("Hello support");
        await Expect(preview.Locator("body")).ToContainTextAsync("Any news?");
        // What is not fetched has no event to wait for: a moment for any request the page would make (the circuit's
        // own traffic can keep "network idle" from ever coming, so that is not waited for).
        await page.WaitForTimeoutAsync(500);
        Assert.Empty(remote);

        // "Show remote images" on the first message: its images load in its own frame, the second message's stay blocked.
        await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);
        await page.GetByText("Tracked order").First.ClickAsync();
        messages = page.GetByTestId("conversation-thread").GetByTestId("conversation-message");
        await messages.Nth(0).GetByTestId("show-remote-images").ClickAsync();
        var frame = page.FrameLocator("[data-testid=remote-content-frame]");
        await Expect(frame.Locator("body")).ToContainTextAsync("Hello support");
        await Expect(frame.Locator("img[alt=first]")).ToHaveJSPropertyAsync("complete", true);
        // What is not fetched has no event to wait for: a moment for any request the page would make (the circuit's
        // own traffic can keep "network idle" from ever coming, so that is not waited for).
        await page.WaitForTimeoutAsync(500);
        Assert.Contains(remote, url => url.StartsWith("https://one.test/", StringComparison.Ordinal));
        Assert.DoesNotContain(remote, url => url.Contains("two.test", StringComparison.Ordinal));
        Assert.All(remote, url => Assert.True(url.Contains("one.test", StringComparison.Ordinal) || url.Contains("evil.test", StringComparison.Ordinal), url));
        Assert.Empty(withReferrer);
        await Expect(messages.Nth(1).GetByTestId("show-remote-images")).ToContainTextAsync("Show 1 remote images");
        await Expect(messages.Nth(1).Locator("img[alt=second]")).Not.ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("two"));

        // The frame is its own sandboxed page: its policy allows remote images, and no scripts.
        var response = await page.APIRequest.GetAsync((await page.GetByTestId("remote-content-frame").GetAttributeAsync("src"))!);
        Assert.Equal(200, response.Status);
        var policy = response.Headers["content-security-policy"];
        Assert.Contains("img-src 'self' data: https: http:", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("sandbox", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers["referrer-policy"]);
    }

    [Fact]
    public async Task Every_page_carries_the_content_security_policy_and_no_referrer()
    {
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        var response = await page.GotoAsync("/objects/helpdesk");
        await WaitInteractiveAsync(page);

        var policy = response!.Headers["content-security-policy"];
        foreach (var directive in new[] { "default-src 'self'", "img-src 'self' data:", "style-src 'self' 'unsafe-inline'", "connect-src 'self' ws://", "frame-ancestors 'self'" })
        {
            Assert.True(policy.Contains(directive, StringComparison.Ordinal), $"{directive} in {policy}");
        }

        Assert.DoesNotContain("https:", policy, StringComparison.Ordinal);
        Assert.Equal("no-referrer", response.Headers["referrer-policy"]);

        // The browser enforces it, and the violation reaches the check every browser test makes.
        await page.EvaluateAsync("() => { const image = new Image(); image.src = 'https://evil.test/probe.gif'; document.body.appendChild(image); }");
        await Expect(page.Locator("img[src='https://evil.test/probe.gif']")).ToHaveJSPropertyAsync("naturalWidth", 0);
        for (var i = 0; i < 50 && CspViolations.IsEmpty; i++)
        {
            await page.WaitForTimeoutAsync(100);
        }

        Assert.Contains(CspViolations, violation => violation.Contains("img-src", StringComparison.Ordinal) && violation.Contains("evil.test", StringComparison.Ordinal));
        CspViolations.Clear();
        var signIn = await page.APIRequest.GetAsync("/account/login");
        Assert.Equal("no-referrer", signIn.Headers["referrer-policy"]);
        Assert.Contains("frame-ancestors 'self'", signIn.Headers["content-security-policy"], StringComparison.Ordinal);
    }

    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
}
