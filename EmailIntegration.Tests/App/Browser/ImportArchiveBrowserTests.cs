using System.Text;
using System.Text.RegularExpressions;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Core.Import.Archive;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

public sealed class ImportArchiveBrowserTests(BrowserFixture browser) : BrowserTestBase(browser, new AppHost
{
    // Small batches: the import takes long enough for the bar to be seen moving.
    Settings = new Dictionary<string, string> { ["EmailIntegration:Import:BatchSize"] = "5" },
})
{
    [Fact]
    public async Task An_admin_uploads_a_zip_on_the_accounts_page_and_sees_the_bar_move_and_a_summary_with_the_failure()
    {
        var saved = await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(TestMailbox.New("archive-ui").Address));
        Assert.Empty(await Host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(saved.Id!.Value), "test"));
        var zip = Path.Combine(Host.DataPath, "export.zip");
        var bad = "From: huge@customer.test\r\nSubject: Huge header\r\nX-Padding: " + new string('a', 300 * 1024) + "\r\n\r\nBody\r\n";
        ArchiveFiles.WriteZip(zip, Enumerable.Range(0, 1500).Select(i => ($"mail/{i:000}.eml", Encoding.UTF8.GetBytes(ArchiveFiles.Message(i, "ui"))))
            .Append(("mail/bad.eml", Encoding.UTF8.GetBytes(bad))));

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);
        await page.GotoAsync("/settings/email-integration/accounts");
        await WaitInteractiveAsync(page);
        await page.GetByTestId("import-archive").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByTestId("archive-picker")).ToHaveAttributeAsync("data-ready", "yes");
        await ChooseFilesAsync(dialog.GetByTestId("archive-upload"), zip);

        var job = dialog.GetByTestId("archive-job");
        // Live, pushed by the server: the bar with done / total, then the summary.
        await Expect(job.GetByTestId("archive-bar")).ToBeVisibleAsync();
        await Expect(job.GetByTestId("archive-progress")).ToHaveTextAsync(new Regex(@"^[1-9][\d,]* / 1,501 messages\s*· [\d,]+ messages/s\s*· .+ left$"));
        await Expect(job).ToHaveAttributeAsync("data-state", "Completed", new() { Timeout = 120_000 });
        await Expect(job.GetByTestId("archive-summary")).ToContainTextAsync("1,500 imported, 0 already there, 1 failed");
        await job.GetByTestId("archive-show-failures").ClickAsync();
        await Expect(job.GetByTestId("archive-failures")).ToContainTextAsync("mail/bad.eml");
        await Expect(job.GetByTestId("archive-failure-reason")).ToContainTextAsync("header is");
        await Expect(job.GetByTestId("archive-failure-eml")).ToHaveAttributeAsync("href", new Regex(@"^/files/importerror/\d+$"));
    }
}
