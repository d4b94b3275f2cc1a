using System.Text;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>What a person types is stored exactly, or refused with a message: never lost while "saved" is said.</summary>
[RunsLong(50)]
public sealed class LargeInputTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    /// <summary>Words, not one repeated character, so nothing along the way could shorten them; about <paramref name="bytes"/> long.</summary>
    private static string Words(int bytes, string seed)
    {
        var text = new StringBuilder();
        for (var i = 0; text.Length < bytes; i++)
        {
            text.Append(seed).Append(' ').Append(i).Append(i % 12 == 11 ? ".\n" : " ");
        }

        return text.ToString();
    }

    [Fact]
    public async Task A_200_KB_runtime_configuration_and_a_200_KB_template_are_stored_exactly_as_typed()
    {
        var (accountId, _) = await ImportedTickets.ConnectAsync(Host);
        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        // The guide's configuration with 200 KB of indentation and line breaks: still the same JSON, stored as typed.
        var seed = MailStack.SeedRuntimeConfiguration(accountId);
        var configuration = seed.Replace("\n", "\n" + new string(' ', 2_000), StringComparison.Ordinal);
        Assert.InRange(configuration.Length, 200_000, 400_000);
        await page.GotoAsync("/settings/email-integration/runtime-configuration");
        await WaitInteractiveAsync(page);
        await SetCodeEditorTextAsync(page, "configuration-editor", configuration);
        await page.GetByTestId("save-configuration").ClickAsync();
        await Expect(page.GetByText("Runtime configuration saved")).ToBeVisibleAsync();
        Assert.Equal(configuration, await Host.Get<SettingsStore>().GetRuntimeJsonAsync());

        // A template with 200 KB of text in it.
        var padding = Words(200_000, "Lorem ipsum");
        await page.GotoAsync("/settings/email-integration/templates");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("add-template").ClickAsync();
        await page.GetByTestId("use-default-template").ClickAsync();
        await Expect(page.GetByTestId("template-html")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("conversation_messages"));
        var html = (await page.GetByTestId("template-html").InputValueAsync()).Replace("<body>", "<body><p>" + padding + "</p>", StringComparison.Ordinal);
        await PasteAsync(page.GetByTestId("template-html"), html);
        await page.GetByTestId("save-template").ClickAsync();
        await Expect(page.GetByTestId("template-row")).ToHaveCountAsync(1);
        var saved = Assert.Single(await Host.Get<TemplateService>().ListAsync());
        Assert.Equal(html.ReplaceLineEndings("\n"), saved.Html.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_20_KB_description_and_a_50_KB_reply_are_stored_exactly_and_an_edit_lost_with_a_dropped_connection_is_never_called_saved()
    {
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        var ticket = (await ImportedTickets.ImportAsync(Host, accountId, mailbox, "Long story"))[0];
        await Host.CreateUserAsync(Roles.Administrator);
        var support = await Host.CreateUserAsync(Roles.Support);
        var page = await NewPageAsync();
        await SignInAsync(page, support, AppHost.SupportPassword);
        await page.GotoAsync($"/objects/helpdesk/{ticket}");
        await WaitInteractiveAsync(page);
        var store = Host.Get<ObjectStore>();

        // 20 KB in the description: stored exactly.
        var description = Words(20_000, "The printer");
        var field = page.Locator("[data-testid=field-description] textarea, textarea[data-testid=field-description]").First;
        await field.FillAsync(description);
        await field.BlurAsync();
        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page.GetByText("Saved.")).ToBeVisibleAsync();
        Assert.Equal(description, (await store.GetAsync("helpdesk", ticket))!.Text("description"));

        // 50 KB in a reply: queued, and the recorded message holds all of it.
        var reply = Words(50_000, "Please try");
        var thread = page.GetByTestId("conversation-thread");
        await thread.GetByTestId("reply").ClickAsync();
        var composer = thread.GetByTestId("reply-composer");
        await composer.GetByTestId("reply-text").FillAsync(reply);
        await composer.GetByTestId("reply-send").ClickAsync();
        await Expect(page.GetByText("Reply queued for 1 recipient")).ToBeVisibleAsync();
        var sent = await store.QueryAsync(new LimeQuery("conversationmessage")
        {
            Filter = System.Text.Json.Nodes.JsonNode.Parse("""{"key": "incoming", "op": "=", "exp": false}"""),
        }, QueryContext.Anonymous);
        var recorded = (string)Assert.Single(sent)["message"]!;
        Assert.Contains(System.Net.WebUtility.HtmlEncode(reply.Split('\n')[^2].Trim()), recorded, StringComparison.Ordinal);
        Assert.True(recorded.Length >= 50_000, $"the recorded reply has {recorded.Length} characters");

        // The connection drops while an edit is on its way: the edit never reaches the server. The page says
        // so, and Save refuses rather than store what the server had; the stored description is unchanged.
        var swallow = false;
        IWebSocketRoute? socket = null;
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/_blazor"), ws =>
        {
            var server = ws.ConnectToServer();
            socket = ws;
            ws.OnMessage(frame =>
            {
                if (swallow)
                {
                    return;
                }

                if (frame.Binary is { } bytes)
                {
                    server.Send(bytes);
                }
                else
                {
                    server.Send(frame.Text!);
                }
            });
        });
        await page.ReloadAsync();
        await WaitInteractiveAsync(page);
        Assert.NotNull(socket);
        field = page.Locator("[data-testid=field-description] textarea, textarea[data-testid=field-description]").First;
        await Expect(field).ToHaveValueAsync(description);
        swallow = true;
        await field.FillAsync("An edit that never arrives");
        await field.BlurAsync();
        var dropped = socket!;
        swallow = false;
        await dropped.CloseAsync(new() { Code = 1011, Reason = "connection lost" });
        await Expect(page.GetByTestId("connection-dropped")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("connection-dropped")).ToContainTextAsync("came back");
        await page.GetByTestId("save-object").ClickAsync();
        await Expect(page.GetByText("Not saved: the connection to the server dropped")).ToBeVisibleAsync();
        await Expect(page.GetByText("Saved.")).ToHaveCountAsync(0);
        Assert.Equal(description, (await store.GetAsync("helpdesk", ticket))!.Text("description"));
        await Expect(field).ToHaveValueAsync(description);
    }
}
