using System.Collections.Concurrent;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>A fresh App per test (or the one given, for watching mailboxes or sending mail), seen through the shared Chromium.</summary>
public abstract class BrowserTestBase(BrowserFixture browser, AppHost? host = null) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    protected AppHost Host { get; } = host ?? new();

    /// <summary>The browser contexts of this test, closed at its end: a page left open on a stopped App keeps
    /// trying to reconnect its circuit and takes CPU from every later test.</summary>
    private readonly ConcurrentBag<IBrowserContext> contexts = [];

    /// <summary>What Chromium said about the Content-Security-Policy on any page of this test: every browser test fails on one.</summary>
    protected ConcurrentQueue<string> CspViolations { get; } = new();

    protected async Task<IPage> NewPageAsync(bool trustLoopbackProvider = false)
    {
        var page = await browser.NewPageAsync(Host.BaseUri, trustLoopbackProvider);
        contexts.Add(page.Context);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                CspViolations.Enqueue($"{message.Location}: {message.Text}");
            }
        };
        return page;
    }

    /// <summary>Waits until the Blazor circuit is live, so clicks reach the server.</summary>
    protected static Task WaitInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync();

    /// <summary>
    /// Replaces the whole text of the code editor inside the element with this test id, as a paste would
    /// (typing key by key is slow for large texts, and the editor closes brackets as they are typed).
    /// </summary>
    protected static async Task SetCodeEditorTextAsync(IPage page, string testId, string text)
    {
        await page.Locator($"[data-testid='{testId}'][data-editor-ready=true] .view-lines").WaitForAsync();
        await page.EvaluateAsync("""
            ([testId, text]) => {
                const host = document.querySelector(`[data-testid="${testId}"]`);
                const editor = monaco.editor.getEditors().find(e => host.contains(e.getContainerDomNode()));
                const model = editor.getModel();
                model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
            }
            """, new object[] { testId, text });
    }

    /// <summary>
    /// Puts a large text into a plain text box as a paste does: one input event with all of it
    /// (typing it, or Playwright's fill, takes longer than a test may on busy cores).
    /// </summary>
    protected static Task PasteAsync(ILocator box, string text) =>
        box.EvaluateAsync("(element, text) => { element.value = text; element.dispatchEvent(new Event('input', { bubbles: true })); }", text);

    /// <summary>
    /// Chooses files in a Blazor file input as a person does, once the input listens: Blazor's InputFile attaches its
    /// change listener after its first render, and files set before that never reach the server.
    /// </summary>
    protected static async Task ChooseFilesAsync(ILocator input, params FilePayload[] files)
    {
        await WaitListeningAsync(input);
        await input.SetInputFilesAsync(files);
    }

    /// <inheritdoc cref="ChooseFilesAsync(ILocator, FilePayload[])"/>
    protected static async Task ChooseFilesAsync(ILocator input, string path)
    {
        await WaitListeningAsync(input);
        await input.SetInputFilesAsync(path);
    }

    private static async Task WaitListeningAsync(ILocator input) =>
        await input.Page.WaitForFunctionAsync("element => element._blazorInputFileNextFileId !== undefined", await input.ElementHandleAsync());

    protected static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(RepositoryPaths.Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Screenshots, name + ".png") });
    }

    protected static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("[data-testid=sign-in]");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in contexts)
        {
            await context.CloseAsync();
        }

        Host.Dispose();
        if (!CspViolations.IsEmpty)
        {
            throw new InvalidOperationException("The page broke its Content-Security-Policy:\n" + string.Join("\n", CspViolations));
        }
    }
}
