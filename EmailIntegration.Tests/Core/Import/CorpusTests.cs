using System.Text;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Storage;
using MimeKit;
using MimeKit.Utils;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>The shapes mail really comes in, each ending as the right records.</summary>
public sealed class CorpusTests : ImportTestBase
{
    static CorpusTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    [Fact]
    public async Task HTML_only_and_multipart_alternative_keep_the_HTML_and_give_the_ticket_plain_text()
    {
        var htmlOnly = Message("HTML only");
        htmlOnly.Body = new TextPart("html") { Text = "<p>Hello <b>there</b> &amp; welcome</p>" };
        var alternative = Message("Alternative");
        alternative.Body = new BodyBuilder { TextBody = "Plain version", HtmlBody = "<p>Rich <i>version</i></p>" }.ToMessageBody();
        await Mailbox.AppendAsync(htmlOnly);
        await Mailbox.AppendAsync(alternative);

        await ImportAsync();

        var tickets = await QueryAsync("helpdesk");
        Assert.Contains("Hello there & welcome", (string)tickets.Single(t => (string)t["subject"]! == "HTML only")["description"]!, StringComparison.Ordinal);
        Assert.Equal("Plain version", ((string)tickets.Single(t => (string)t["subject"]! == "Alternative")["description"]!).Trim());
        var messages = await QueryAsync("conversationmessage");
        Assert.Contains("<b>there</b>", (string)messages.Single(m => (string)m["subject"]! == "HTML only")["message"]!, StringComparison.Ordinal);
        Assert.Contains("<i>version</i>", (string)messages.Single(m => (string)m["subject"]! == "Alternative")["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachments_become_documents_on_the_message_and_the_ticket_with_their_bytes_stored()
    {
        var message = Message("With attachment");
        var builder = new BodyBuilder { TextBody = "See the invoice." };
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 fake invoice " + new string('x', 5000));
        builder.Attachments.Add("invoice.pdf", pdf, new ContentType("application", "pdf"));
        message.Body = builder.ToMessageBody();
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        var document = Assert.Single(await QueryAsync("document"));
        Assert.Equal("invoice.pdf", document["comment"]);
        Assert.Equal("other", document["type"]);
        Assert.Equal(Assert.Single(await QueryAsync("conversationmessage"))[CrmSchema.IdKey], document["conversationmessage"]);
        Assert.Equal(Assert.Single(await QueryAsync("helpdesk"))[CrmSchema.IdKey], document["helpdesk"]);
        await using var stored = await Host.Get<IFileStore>().OpenAsync((string)document["document"]!, default);
        using var copy = new MemoryStream();
        await stored!.CopyToAsync(copy);
        Assert.Equal(pdf, copy.ToArray());
    }

    [Fact]
    public async Task An_inline_cid_image_becomes_an_embedded_file_and_the_HTML_points_to_it()
    {
        var message = Message("Screenshot");
        var builder = new BodyBuilder();
        var image = builder.LinkedResources.Add("shot.png", [0x89, 0x50, 0x4E, 0x47, 1, 2, 3], new ContentType("image", "png"));
        image.ContentId = MimeUtils.GenerateMessageId();
        builder.HtmlBody = $"<p>Look:</p><img src=\"cid:{image.ContentId}\">";
        message.Body = builder.ToMessageBody();
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        var embedded = Assert.Single(await QueryAsync("embeddedfile"));
        Assert.Equal(image.ContentId, embedded["contentid"]);
        var html = (string)Assert.Single(await QueryAsync("conversationmessage"))["message"]!;
        Assert.DoesNotContain("cid:", html, StringComparison.Ordinal);
        Assert.Contains($"/files/embeddedfile/{embedded[CrmSchema.IdKey]}", html, StringComparison.Ordinal);
        Assert.Empty(await QueryAsync("document"));
    }

    [Theory]
    [InlineData("iso-2022-jp", "プリンターが壊れました", "請求書.txt")]
    [InlineData("gb2312", "打印机坏了", "发票.txt")]
    [InlineData("windows-1252", "Café crème – 20 €", "Façade naïve.txt")]
    public async Task Bodies_subjects_and_file_names_in_legacy_charsets_arrive_as_the_sender_wrote_them(string charset, string text, string fileName)
    {
        var encoding = Encoding.GetEncoding(charset);
        var message = Message("placeholder");
        message.Headers.Replace(HeaderId.Subject, encoding, text);
        var body = new TextPart("plain");
        body.SetText(encoding, text + "\n");
        var attachment = new MimePart("text", "plain")
        {
            Content = new MimeContent(new MemoryStream(encoding.GetBytes(text))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        attachment.ContentDisposition.Parameters.Add(encoding, "filename", fileName);
        message.Body = new Multipart("mixed") { body, attachment };
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        Assert.Equal(text, ticket["subject"]);
        Assert.Equal(text, ((string)ticket["description"]!).Trim());
        Assert.Equal(fileName, Assert.Single(await QueryAsync("document"))["comment"]);
    }

    [Fact]
    public async Task The_files_inside_an_Outlook_winmail_dat_become_documents()
    {
        var message = Message("Outlook rich text");
        var tnef = new MimePart("application", "ms-tnef")
        {
            Content = new MimeContent(new MemoryStream(Tnef(("report.txt", "Quarterly numbers"u8.ToArray())))),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) { FileName = "winmail.dat" },
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        message.Body = new Multipart("mixed") { new TextPart("plain") { Text = "See the report." }, tnef };
        await Mailbox.AppendAsync(message);

        await ImportAsync();

        var document = Assert.Single(await QueryAsync("document"));
        Assert.Equal("report.txt", document["comment"]);
        await using var stored = await Host.Get<IFileStore>().OpenAsync((string)document["document"]!, default);
        using var reader = new StreamReader(stored!);
        Assert.Equal("Quarterly numbers", await reader.ReadToEndAsync());
    }

    /// <summary>A minimal TNEF stream (what Outlook sends as winmail.dat) holding the given files.</summary>
    private static byte[] Tnef(params (string Name, byte[] Data)[] files)
    {
        using var buffer = new MemoryStream();
        using var writer = new BinaryWriter(buffer);
        writer.Write(0x223E9F78u);
        writer.Write((ushort)0x0001);
        void Attribute(byte level, uint tag, byte[] data)
        {
            writer.Write(level);
            writer.Write(tag);
            writer.Write((uint)data.Length);
            writer.Write(data);
            writer.Write((ushort)(data.Sum(b => b) & 0xFFFF));
        }

        Attribute(1, 0x00089006, BitConverter.GetBytes(0x00010000u));
        Attribute(1, 0x00069007, [.. BitConverter.GetBytes(1252u), .. BitConverter.GetBytes(0u)]);
        foreach (var (name, data) in files)
        {
            var render = new byte[14];
            BitConverter.GetBytes((ushort)1).CopyTo(render, 0);
            BitConverter.GetBytes(0xFFFFFFFFu).CopyTo(render, 2);
            Attribute(2, 0x00069002, render);
            Attribute(2, 0x00018010, [.. Encoding.ASCII.GetBytes(name), 0]);
            Attribute(2, 0x0006800F, data);
        }

        writer.Flush();
        return buffer.ToArray();
    }

    [Fact]
    public async Task Broken_MIME_never_stays_unseen_without_a_record_or_a_reason()
    {
        await Mailbox.AppendAsync(Raw("""
            From: broken@customer.test
            Subject: Unterminated multipart
            Message-ID: <broken-1@customer.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="never-closed"
            """, "--never-closed\r\nContent-Type: text/plain\r\n\r\nThe text survives.\r\n--never-closed\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!"));
        await Mailbox.AppendAsync(Raw("""
            From: =?utf-8?Q?broken?= <<<weird>>>
            Subject: =?unknown-charset?B?w6XDpMO2?=
            Content-Type: text/plain; charset="no-such-charset"
            Date: not a date
            """, "Body in an unknown charset: \u00e5\u00e4\u00f6"));

        var run = await ImportAsync();

        Assert.Equal(2, run.Imported + run.Failed);
        Assert.Equal(0, (await Mailbox.InboxCountsAsync()).Unseen);
        Assert.Contains("The text survives.", (string)(await QueryAsync("conversationmessage")).Single(m => (string?)m["subject"] == "Unterminated multipart")["message"]!, StringComparison.Ordinal);
    }

    private MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Customer", $"customer-{Guid.NewGuid():N}@customer.test"));
        message.To.Add(MailboxAddress.Parse(Mailbox.Address));
        message.Subject = subject;
        message.MessageId = MimeUtils.GenerateMessageId("customer.test");
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }
}
