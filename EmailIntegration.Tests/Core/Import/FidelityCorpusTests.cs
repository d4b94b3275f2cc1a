using System.Text;
using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Storage;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>
/// Mail that people notice when it comes out wrong: forwarded and returned emails, several inline
/// parts, unreadable headers, UTF-7, a reused Message-ID and signed mail; each ends as the right records.
/// </summary>
public sealed class FidelityCorpusTests : ImportTestBase
{
    [Fact]
    public async Task A_forwarded_email_becomes_an_eml_document_named_by_its_subject_and_shows_in_the_thread_with_its_own_files()
    {
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 plan " + new string('p', 3000));
        await Mailbox.AppendAsync(FidelityMail.Forward(Mailbox.Address, FidelityMail.Inner("Quarterly plan", "boss@partner.test", "The plan is to grow by ten percent.", ("plan.pdf", pdf))));

        Assert.Equal(1, (await ImportAsync()).Imported);

        var document = Assert.Single(await QueryAsync("document"));
        Assert.Equal("Quarterly plan.eml", document["comment"]);
        Assert.Equal("email", document["type"]);
        Assert.Equal(Assert.Single(await QueryAsync("helpdesk"))[CrmSchema.IdKey], document["helpdesk"]);

        var message = await ThreadMessageAsync();
        Assert.Empty(message.Attachments);
        var attached = Assert.Single(message.AttachedMessages!);
        Assert.Equal("Quarterly plan", attached.Message!.Subject);
        Assert.Equal("boss@partner.test", attached.Message.From!.Address);
        Assert.Contains("grow by ten percent", attached.Message.Body.Html, StringComparison.Ordinal);
        var file = Assert.Single(attached.Message.Files);
        Assert.Equal("plan.pdf", file.Name);

        // The file inside the forwarded email comes out of the stored .eml byte for byte.
        await using var eml = await Host.Get<IFileStore>().OpenAsync((string)document["document"]!, default);
        using var copy = new MemoryStream();
        var part = await AttachedMessages.WritePartAsync(eml!, file.Path, copy, default);
        Assert.Equal("plan.pdf", part!.Value.Name);
        Assert.Equal(pdf, copy.ToArray());
    }

    [Fact]
    public async Task Each_message_of_a_digest_becomes_a_document_and_an_attached_message()
    {
        var digest = FidelityMail.Message(Mailbox.Address, "Weekly digest");
        digest.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "This week's messages." },
            new Multipart("digest")
            {
                new MessagePart { Message = FidelityMail.Inner("First topic", "ann@list.test", "Ann writes about printers.") },
                new MessagePart { Message = FidelityMail.Inner("Second topic", "bob@list.test", "Bob writes about scanners.") },
            },
        };
        await Mailbox.AppendAsync(digest);

        await ImportAsync();

        Assert.Equal(["First topic.eml", "Second topic.eml"], (await QueryAsync("document")).Select(d => (string)d["comment"]!).Order());
        var attached = (await ThreadMessageAsync()).AttachedMessages!;
        Assert.Equal(2, attached.Count);
        Assert.Contains(attached, a => a.Message!.Body.Html.Contains("Ann writes about printers.", StringComparison.Ordinal));
        Assert.Contains(attached, a => a.Message!.Body.Html.Contains("Bob writes about scanners.", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("delivery-status", "delivery-status", "Invoice 42", "Action: failed\r\nStatus: 5.1.1\r\n")]
    [InlineData("disposition-notification", "disposition-notification", "Proposal", "Disposition: manual-action/MDN-sent-manually; displayed\r\n")]
    [InlineData("feedback-report", "feedback-report", "Newsletter", "Feedback-Type: abuse\r\nUser-Agent: Reporter/1.0\r\nVersion: 1\r\n")]
    public async Task The_original_inside_a_bounce_a_read_receipt_or_a_feedback_report_is_kept_and_shown(
        string reportType, string machineSubtype, string originalSubject, string machineText)
    {
        var original = FidelityMail.Inner(originalSubject, Mailbox.Address, $"The original text of {originalSubject}.");
        var report = FidelityMail.Message(Mailbox.Address, $"Report about {originalSubject}", "mailer-daemon@partner.test");
        var body = new MultipartReport(reportType)
        {
            new TextPart("plain") { Text = "This is an automatically generated report." },
            new MimePart("message", machineSubtype) { Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes(machineText))) },
            new MessagePart { Message = original },
        };
        report.Body = body;
        await Mailbox.AppendAsync(report);

        Assert.Equal(1, (await ImportAsync()).Imported);

        Assert.Contains(await QueryAsync("document"), d => (string)d["comment"]! == $"{originalSubject}.eml" && (string)d["type"]! == "email");
        var attached = Assert.Single((await ThreadMessageAsync()).AttachedMessages!);
        Assert.Contains($"The original text of {originalSubject}.", attached.Message!.Body.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_receipt_that_returns_only_the_original_header_still_shows_who_and_what_it_was()
    {
        var receipt = FidelityMail.Message(Mailbox.Address, "Read: Contract");
        var headers = new TextPart("rfc822-headers")
        {
            Text = $"From: {Mailbox.Address}\r\nTo: client@partner.test\r\nSubject: Contract\r\nDate: Tue, 01 Dec 2026 10:00:00 +0000\r\n",
        };
        receipt.Body = new MultipartReport("disposition-notification")
        {
            new TextPart("plain") { Text = "Your message was displayed." },
            new MimePart("message", "disposition-notification") { Content = new MimeContent(new MemoryStream("Disposition: manual-action/MDN-sent-manually; displayed\r\n"u8.ToArray())) },
            headers,
        };
        await Mailbox.AppendAsync(receipt);

        await ImportAsync();

        var attached = Assert.Single((await ThreadMessageAsync()).AttachedMessages!);
        Assert.Equal("Contract.eml", attached.Name);
        Assert.Equal("Contract", attached.Message!.Subject);
        Assert.Equal(Mailbox.Address, attached.Message.From!.Address);
    }

    [Fact]
    public async Task Two_inline_text_parts_around_an_image_are_all_shown_in_order_with_the_image_between_them()
    {
        var message = FidelityMail.Message(Mailbox.Address, "Photo of the fault");
        message.Body = FidelityMail.TextImageText("Before the photo: the printer jams.", "After the photo: it happens daily.");
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        Assert.Empty(await QueryAsync("document"));
        var embedded = Assert.Single(await QueryAsync("embeddedfile"));
        var html = (string)Assert.Single(await QueryAsync("conversationmessage"))["message"]!;
        var first = html.IndexOf("Before the photo", StringComparison.Ordinal);
        var image = html.IndexOf($"/files/embeddedfile/{embedded[CrmSchema.IdKey]}", StringComparison.Ordinal);
        var second = html.IndexOf("After the photo", StringComparison.Ordinal);
        Assert.True(first >= 0 && image > first && second > image, html);
        var description = (string)Assert.Single(await QueryAsync("helpdesk"))["description"]!;
        Assert.Contains("the printer jams", description, StringComparison.Ordinal);
        Assert.Contains("it happens daily", description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_whose_header_cannot_be_parsed_gets_a_failure_record_with_its_raw_bytes_reason_and_retry()
    {
        var raw = Encoding.ASCII.GetBytes("This first line is no header at all\r\nFrom: Lost Sender <lost@customer.test>\r\nSubject: Lost headers\r\n\r\nThe body.\r\n");
        await Mailbox.AppendBytesAsync(raw);

        var run = await ImportAsync();

        Assert.Equal(1, run.Failed);
        var error = Assert.Single(await QueryAsync("importerror"));
        Assert.Contains("header could not be read", (string)error["reason"]!, StringComparison.Ordinal);
        Assert.Equal("Lost headers", error["subject"]);
        Assert.Equal("lost@customer.test", error["fromaddress"]);
        await using (var stored = await Host.Get<IFileStore>().OpenAsync((string)error["rawmessage"]!, default))
        {
            using var copy = new MemoryStream();
            await stored!.CopyToAsync(copy);
            Assert.Equal(raw, copy.ToArray());
        }

        var logged = Assert.Single(await Host.Get<ImportLogService>().EntriesAsync(AccountId, ImportOutcome.Failed));
        Assert.Equal(Convert.ToInt64(error[CrmSchema.IdKey], System.Globalization.CultureInfo.InvariantCulture), logged.ImportErrorId);
        Assert.Equal("lost@customer.test", logged.FromAddress);
        Assert.Equal(ImportOutcome.Failed, await Host.Get<ImportService>().RetryFailedAsync(logged.ImportErrorId!.Value));
        Assert.Equal(0, (await Mailbox.InboxCountsAsync()).Total);
    }

    [Fact]
    public async Task UTF7_subjects_and_bodies_from_old_Outlook_read_as_written()
    {
        await Mailbox.AppendAsync(Raw("""
            From: Old Outlook <outlook@customer.test>
            To: support@example.test
            Subject: =?utf-7?Q?Fr+APY-sche_im_Teich?=
            Message-ID: <utf7-1@customer.test>
            MIME-Version: 1.0
            Content-Type: text/plain; charset="utf-7"
            Content-Transfer-Encoding: 7bit
            """, "Gr+APw-+AN8-e aus M+APw-nchen, 1+-1=2\r\n"));

        await ImportAsync();

        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        Assert.Equal("Frösche im Teich", ticket["subject"]);
        Assert.Equal("Grüße aus München, 1+1=2", ((string)ticket["description"]!).Trim());
    }

    [Fact]
    public async Task A_reused_Message_ID_with_other_content_is_its_own_message_while_a_true_redelivery_stays_a_dedupe_hit()
    {
        var first = FidelityMail.Message(Mailbox.Address, "Order 7", "reuser@customer.test");
        first.MessageId = "reused-7@customer.test";
        first.Body = new TextPart("plain") { Text = "Please send order 7.\r\n" };
        var other = FidelityMail.Message(Mailbox.Address, "Order 8", "reuser@customer.test");
        other.MessageId = first.MessageId;
        other.Body = new TextPart("plain") { Text = "Please send order 8 instead.\r\n" };
        var redelivered = FidelityMail.Message(Mailbox.Address, "Order 7", "reuser@customer.test");
        redelivered.MessageId = first.MessageId;
        redelivered.Headers.Add("Received", "from relay2.partner.test by mx.example.test; Tue, 01 Dec 2026 10:05:00 +0000");
        redelivered.Body = new TextPart("plain") { Text = "Please send order 7.   \n\n" };
        await Mailbox.AppendAsync(first);
        await Mailbox.AppendAsync(other);
        await Mailbox.AppendAsync(redelivered);

        var run = await ImportAsync();

        Assert.Equal(2, run.Imported);
        Assert.Equal(1, run.Duplicates);
        Assert.Equal(["Order 7", "Order 8"], (await QueryAsync("conversationmessage")).Select(m => (string)m["subject"]!).Order());
        var entries = await Host.Get<ImportLogService>().EntriesAsync(AccountId);
        Assert.Contains("imported before with other content", entries.Single(e => e.Subject == "Order 8").Reason, StringComparison.Ordinal);

        // Imported again later (a second pass over the same mail): all three are known now.
        await Mailbox.AppendAsync(other);
        Assert.Equal(1, (await ImportAsync()).Duplicates);
        Assert.Equal(2, (await QueryAsync("conversationmessage")).Count);
    }

    [Theory]
    [InlineData("application/pkcs7-signature", "smime.p7s")]
    [InlineData("application/pgp-signature", "signature.asc")]
    public async Task A_signature_is_no_document_the_message_is_marked_signed_and_the_mailbox_keeps_the_signature(string protocol, string fileName)
    {
        var message = FidelityMail.Message(Mailbox.Address, "Signed order");
        var signed = new Multipart("signed") { new TextPart("plain") { Text = "I sign this order." } };
        signed.ContentType.Parameters.Add("protocol", protocol);
        var signature = new MimePart(protocol)
        {
            Content = new MimeContent(new MemoryStream(Encoding.ASCII.GetBytes("not a real signature " + new string('s', 200)))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = fileName },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        signed.Add(signature);
        message.Body = signed;
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        Assert.Empty(await QueryAsync("document"));
        var record = Assert.Single(await QueryAsync("conversationmessage"));
        Assert.Equal(true, record["signed"]);
        Assert.Contains("I sign this order.", (string)record["message"]!, StringComparison.Ordinal);
        Assert.True((await ThreadMessageAsync()).CarriesSignature);
        var kept = Assert.Single(await Mailbox.MessagesAsync());
        Assert.Contains(kept.BodyParts, p => p.ContentType.MimeType == protocol);
    }

    private async Task<ThreadMessage> ThreadMessageAsync()
    {
        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        var thread = Assert.Single(await Host.Get<ConversationService>().ThreadsForAsync("helpdesk", (long)ticket[CrmSchema.IdKey]!));
        return Assert.Single(thread.Messages);
    }
}
