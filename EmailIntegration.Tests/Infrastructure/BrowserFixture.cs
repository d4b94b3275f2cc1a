using Microsoft.Playwright;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// One headless Debian Chromium, driven by Playwright, shared by every browser test class of the process.
/// Each class is a test collection of its own, so browser classes run beside each other and beside the
/// rest of the suite; the class fixture holds the shared browser while its class runs.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IPlaywright? playwright;
    private static IBrowser? shared;
    private static int users;

    public IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: install Debian's chromium (./test.sh does).");
        }

        await Gate.WaitAsync();
        try
        {
            if (users++ == 0)
            {
                playwright = await Playwright.CreateAsync();
                Assertions.SetDefaultExpectTimeout(15_000);
                // Note: as root Chromium needs --no-sandbox; the rest keeps it off a network that is not there.
                shared = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = ChromiumPath,
                    Headless = true,
                    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
                });
            }

            Browser = shared!;
        }
        catch
        {
            users--;
            throw;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <param name="trustLoopbackProvider">Accept the stack's self-signed certificate, for pages of its identity provider.</param>
    public async Task<IPage> NewPageAsync(Uri baseUri, bool trustLoopbackProvider = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUri.ToString(),
            IgnoreHTTPSErrors = trustLoopbackProvider,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        // Generous: the whole suite shares two cores, and a slow moment must not fail a test.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (Browser is not null && --users == 0)
            {
                await shared!.DisposeAsync();
                playwright!.Dispose();
                (shared, playwright) = (null, null);
            }
        }
        finally
        {
            Gate.Release();
        }
    }
}
