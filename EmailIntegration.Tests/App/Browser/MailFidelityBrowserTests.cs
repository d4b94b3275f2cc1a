using EmailIntegration.Core.Import;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace EmailIntegration.Tests.App.Browser;

/// <summary>
/// Forwarded emails, several inline parts and signed mail, imported through the real stack and read in
/// Chromium: everything the sender sent is on the ticket page, in the order it was sent.
/// </summary>
public sealed class MailFidelityBrowserTests(BrowserFixture browser) : BrowserTestBase(browser)
{
    [Fact]
    public async Task The_thread_shows_a_forwarded_email_with_its_files_every_inline_part_in_order_and_a_signed_badge()
    {
        var (accountId, mailbox) = await ImportedTickets.ConnectAsync(Host);
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4 contract " + new string('c', 2000));
        var forward = FidelityMail.Forward(mailbox.Address, FidelityMail.Inner("Signed contract", "lawyer@partner.test", "Clause 4 was changed as agreed.", ("contract.pdf", pdf)));
        forward.Subject = "Fwd: Signed contract";
        var signed = new Multipart("signed") { forward.Body! };
        signed.ContentType.Parameters.Add("protocol", "application/pkcs7-signature");
        signed.Add(new MimePart("application", "pkcs7-signature")
        {
            Content = new MimeContent(new MemoryStream(new byte[64])),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "smime.p7s" },
            ContentTransferEncoding = ContentEncoding.Base64,
        });
        forward.Body = signed;
        await mailbox.AppendAsync(forward);
        var photo = FidelityMail.Message(mailbox.Address, "Photo of the jam");
        photo.Body = FidelityMail.TextImageText("Text before the photo.", "Text after the photo.");
        await mailbox.AppendAsync(photo);
        Assert.Equal(2, (await Host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);
        var tickets = await Host.Get<EmailIntegration.Core.Crm.Objects.ObjectStore>().QueryAsync(
            new EmailIntegration.Core.Crm.Query.LimeQuery("helpdesk") { Limit = 10 }, EmailIntegration.Core.Crm.Query.QueryContext.Anonymous);
        long TicketId(string subject) => (long)tickets.Single(t => (string?)t["subject"] == subject)["_id"]!;

        var admin = await Host.CreateUserAsync(Roles.Administrator);
        var page = await NewPageAsync();
        await SignInAsync(page, admin, AppHost.AdminPassword);

        // The forwarded email: collapsed at first, then its own sender, body and file; the outer message is signed.
        await page.GotoAsync($"/objects/helpdesk/{TicketId("Fwd: Signed contract")}");
        await WaitInteractiveAsync(page);
        var message = page.GetByTestId("conversation-message");
        await Expect(message.GetByTestId("signed-chip")).ToBeVisibleAsync();
        await Expect(message.GetByTestId("message-body")).ToContainTextAsync("See the attached message.");
        var attached = message.GetByTestId("attached-message");
        await Expect(attached).ToContainTextAsync("Attached message: Signed contract");
        await Expect(attached.GetByTestId("attached-body")).Not.ToBeVisibleAsync();
        await attached.Locator("summary").ClickAsync();
        await Expect(attached.GetByTestId("attached-body")).ToContainTextAsync("Clause 4 was changed as agreed.");
        await Expect(attached.GetByTestId("attached-from")).ToHaveTextAsync("Original Sender");
        await Expect(attached.GetByTestId("attached-file-link")).ToHaveTextAsync("contract.pdf");
        await Expect(message.GetByTestId("attachment-link")).ToHaveCountAsync(0);
        var download = await page.RunAndWaitForDownloadAsync(() => attached.GetByTestId("attached-file-link").ClickAsync());
        Assert.Equal("contract.pdf", download.SuggestedFilename);
        Assert.Equal(pdf, await File.ReadAllBytesAsync((await download.PathAsync())!));
        var eml = await page.RunAndWaitForDownloadAsync(() => attached.GetByTestId("attached-message-download").ClickAsync());
        Assert.EndsWith(".eml", eml.SuggestedFilename, StringComparison.Ordinal);
        await ScreenshotAsync(page, "attached-message");

        // Text, image, text: all three, in that order, and the image is drawn.
        await page.GotoAsync($"/objects/helpdesk/{TicketId("Photo of the jam")}");
        await WaitInteractiveAsync(page);
        var body = page.GetByTestId("message-body");
        await Expect(body).ToContainTextAsync("Text before the photo.");
        await Expect(body).ToContainTextAsync("Text after the photo.");
        var image = body.Locator("img");
        await Expect(image).ToHaveJSPropertyAsync("complete", true);
        Assert.Equal(1, await image.EvaluateAsync<int>("i => i.naturalWidth"));
        var order = await body.EvaluateAsync<string>(
            "b => { const w = document.createTreeWalker(b, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT); const seen = []; " +
            "while (w.nextNode()) { const n = w.currentNode; if (n.nodeType === 3 && n.textContent.trim()) seen.push(n.textContent.trim()); else if (n.tagName === 'IMG') seen.push('[image]'); } return seen.join(' | '); }");
        Assert.Equal("Text before the photo. | [image] | Text after the photo.", order);
        Assert.Empty(CspViolations);
    }
}
