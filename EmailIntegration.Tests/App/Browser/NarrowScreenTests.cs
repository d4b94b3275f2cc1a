using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Core.Views;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// Every page of the route table on a 390 px phone, signed in as an administrator, with real data:
/// nothing scrolls sideways and no button is out of reach.
/// </summary>
[RunsLong(130)]
public sealed class NarrowScreenTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    private const int Width = 390;
    private const int Height = 844;

    // Reports what sticks out: the document's sideways scroll (with the outermost elements wider than the
    // screen) and every visible button or link-button (within the scope, a selector, when given) not wholly
    // within the screen's width, cut, or with a word broken over two lines.
    private const string Measure = """
        scope => {
          const within = scope ? document.querySelector(scope) : document;
          const width = document.documentElement.clientWidth;
          const describe = el => {
            const r = el.getBoundingClientRect();
            const id = el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : (el.id ? `#${el.id}` : '');
            const cls = [...el.classList].filter(c => !c.startsWith('mud-ripple')).slice(0, 3).map(c => '.' + c).join('');
            const text = (el.innerText || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
            return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}" x ${Math.round(r.left)}..${Math.round(r.right)}`;
          };
          const shown = el => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
            && !el.closest('.mud-drawer--closed') && el.getBoundingClientRect().width > 0;
          // A word of the element's text laid over two lines ("RE / PLY"); a hyphen may break a word.
          const brokenWord = el => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
              for (const m of node.data.matchAll(/[^\s-]+/g)) {
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                if (new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size > 1) return m[0];
              }
            }
            return null;
          };
          const problems = [];
          const root = document.scrollingElement || document.documentElement;
          if (root.scrollWidth > root.clientWidth) {
            const wide = [...document.body.querySelectorAll('*')].filter(el => shown(el)
              && el.getBoundingClientRect().right > width + 1
              && !(el.parentElement && el.parentElement.getBoundingClientRect().right > width + 1));
            problems.push(`the page scrolls sideways (scrollWidth ${root.scrollWidth} > ${root.clientWidth}); wider than the screen: `
              + wide.slice(0, 6).map(describe).join('; '));
          }
          for (const el of within.querySelectorAll('button, a.mud-button-root, [role=button], input[type=submit]')) {
            if (!shown(el)) continue;
            const r = el.getBoundingClientRect();
            if (r.left < -1 || r.right > width + 1) problems.push('out of the screen: ' + describe(el));
            else if (el.scrollWidth > el.clientWidth + 1) problems.push(`its label is cut (${el.scrollWidth} px in ${el.clientWidth} px): ` + describe(el));
            else if (brokenWord(el)) problems.push(`"${brokenWord(el)}" is broken over two lines in: ` + describe(el));
          }
          return problems;
        }
        """;

    [Fact]
    public async Task Every_page_fits_a_390_px_phone_without_sideways_scrolling_or_a_button_out_of_reach()
    {
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Invoice 4711");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Maximiliane Wolkenstein-Rautenberg", "maximiliane.wolkenstein-rautenberg.support-escalations@customer-with-a-long-domain.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = "The label printer in building C stops after every third label with error E-4711-PAPERJAM";
        message.Body = new TextPart("plain") { Text = "Since the update https://support.example.test/knowledge-base/articles/label-printers/e-4711-paperjam-after-firmware-update it jams." };
        await mailbox.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);
        var ticket = (long)(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk")
        {
            Filter = new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = message.Subject },
        }, QueryContext.Anonymous)).Single()["_id"]!;
        var conversation = (long)(await Host.Get<ObjectStore>().QueryAsync(new LimeQuery("conversation"), QueryContext.Anonymous))[0]["_id"]!;
        foreach (var file in new[] { "filters.json", "infotiles.json", "views.json" })
        {
            Assert.True((await Host.Get<ConfigImporter>().ImportAsync(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "wwwroot-assets", "config", file)), "test")).CanImport);
        }

        // An OAuth2 account with a long name beside the password one, and a second user.
        var app = await Host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "Contoso Microsoft 365 production tenant", OAuthProvider.Microsoft, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "secret",
            "https://crm.example.test/email/oauth", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(10))));
        Assert.True(app.Succeeded);
        Assert.True((await Host.Get<AccountService>().SaveAsync(null, new MailAccountInput(
            "Customer Service Scandinavia and Baltics", "customer-service.scandinavia-baltics@contoso-international.example.test",
            AccountAuthentication.OAuth2, app.Id))).Succeeded);
        // Mail imported before its account had a mapping, so the settings show the conversations without a ticket.
        var early = TestMailbox.New("early");
        var earlyAccount = (await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(early.Address, name: "Early"))).Id!.Value;
        await early.AppendAsync(message);
        Assert.Equal(1, (await Host.Get<ImportService>().ImportAsync(earlyAccount, ImportTrigger.Manual)).Imported);
        Assert.Empty(await Host.Get<SettingsStore>().AddStandardMappingAsync(earlyAccount, "test"));
        await Host.CreateUserAsync(Roles.Support, "a.very.long.name.of.a.support.person@support-department.example.test");
        var tile = (await Host.Get<ViewConfigurationService>().ListAsync(ViewKind.InfoTile))[0].ItemId;
        var admin = await Host.CreateUserAsync(Roles.Administrator);

        // Every route of the App, with real values for its parameters, and the edit pages also with an item.
        var urls = new List<string>();
        foreach (var route in Routes())
        {
            urls.Add(route
                .Replace("{Limetype}/{Id}", $"helpdesk/{ticket}", StringComparison.Ordinal)
                .Replace("{Limetype}", "helpdesk", StringComparison.Ordinal)
                .Replace("{Selected}", "helpdesk", StringComparison.Ordinal));
            Assert.DoesNotContain("{", urls[^1], StringComparison.Ordinal);
        }

        urls.AddRange([
            $"/objects/conversation/{conversation}", "/objects/conversation", "/objects/helpdesk/new",
            "/settings/filters/edit?id=webclient.helpdesk.open", $"/settings/info-tiles/edit?id={Uri.EscapeDataString(tile)}",
            "/settings/table-views/edit?limetype=helpdesk",
        ]);

        var page = await NewPageAsync();
        await page.SetViewportSizeAsync(Width, Height);
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.WaitForURLAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        var failures = new List<string>();
        foreach (var url in urls)
        {
            failures.AddRange((await CheckAsync(page, url)).Select(p => $"{url}: {p}"));
        }

        // The account dialog, opened where an admin opens it.
        await CheckAsync(page, "/settings/email-integration/accounts");
        await page.GetByTestId("add-account").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByText("IMAP/SMTP with a password").ClickAsync();
        await page.Locator("input[data-testid=imap-host], [data-testid=imap-host] input").First.WaitForAsync();
        await ScreenshotAsync(page, "narrow-account-dialog");
        failures.AddRange((await page.EvaluateAsync<string[]>(Measure, ".mud-dialog")).Select(p => $"account dialog: {p}"));

        // The pages a person sees before signing in.
        var anonymous = await NewPageAsync();
        await anonymous.SetViewportSizeAsync(Width, Height);
        foreach (var url in new[] { "/account/login", "/account/login?error=x" })
        {
            failures.AddRange((await CheckAsync(anonymous, url)).Select(p => $"{url} (signed out): {p}"));
        }

        Assert.True(failures.Count == 0, $"{failures.Count} problems at {Width} px:\n" + string.Join("\n", failures));
    }

    private static async Task<IReadOnlyList<string>> CheckAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        if (await page.Locator("[data-interactive]").CountAsync() > 0)
        {
            await WaitInteractiveAsync(page);
        }

        // Loaded: no progress bar, every code editor attached, fonts laid out.
        await Assertions.Expect(page.Locator(".mud-progress-linear")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-editor-ready=false]")).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => document.fonts.ready");
        // The whole page, for a person to look over what the measurement cannot judge.
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        var name = "narrow" + string.Concat(url.Select(c => char.IsLetterOrDigit(c) ? c : '-'));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, name + ".png"), FullPage = true });
        return await page.EvaluateAsync<string[]>(Measure, null);
    }

    /// <summary>The App's pages, from its own route table (a new page is checked without changing this test).</summary>
    private List<string> Routes()
    {
        _ = Host.BaseUri;
        return Host.Services.GetRequiredService<IEnumerable<EndpointDataSource>>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
