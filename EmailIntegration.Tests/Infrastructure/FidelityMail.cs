using MimeKit;
using MimeKit.Utils;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>Hand-made messages in the shapes real mail takes: forwarded emails, several inline parts.</summary>
public static class FidelityMail
{
    /// <summary>A tiny PNG (1x1, red), so a browser really draws the inline image.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==");

    public static MimeMessage Message(string to, string subject, string? from = null)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Customer", from ?? $"customer-{Guid.NewGuid():N}@customer.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeUtils.GenerateMessageId("customer.test");
        message.Date = DateTimeOffset.UtcNow;
        return message;
    }

    /// <summary>A message as it was before it was forwarded or returned, with optional files.</summary>
    public static MimeMessage Inner(string subject, string from, string text, params (string Name, byte[] Data)[] files)
    {
        var inner = new MimeMessage();
        inner.From.Add(new MailboxAddress("Original Sender", from));
        inner.To.Add(new MailboxAddress("Someone", "someone@partner.test"));
        inner.Subject = subject;
        inner.MessageId = MimeUtils.GenerateMessageId("partner.test");
        inner.Date = new DateTimeOffset(2026, 11, 30, 9, 15, 0, TimeSpan.Zero);
        var builder = new BodyBuilder { TextBody = text };
        foreach (var (name, data) in files)
        {
            builder.Attachments.Add(name, data);
        }

        inner.Body = builder.ToMessageBody();
        return inner;
    }

    /// <summary>"Forward as attachment": a short note and the whole original as message/rfc822.</summary>
    public static MimeMessage Forward(string to, MimeMessage original)
    {
        var forward = Message(to, "Fwd: " + original.Subject);
        forward.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "See the attached message." },
            new MessagePart { Message = original, ContentDisposition = new ContentDisposition(ContentDisposition.Attachment) },
        };
        return forward;
    }

    /// <summary>What Apple Mail sends for text, a pasted photo, more text: multipart/mixed with an inline image between two text parts.</summary>
    public static Multipart TextImageText(string before, string after) => new("mixed")
    {
        new TextPart("plain") { Text = before },
        new MimePart("image", "png")
        {
            Content = new MimeContent(new MemoryStream(Png)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Inline) { FileName = "photo.png" },
            ContentTransferEncoding = ContentEncoding.Base64,
        },
        new TextPart("plain") { Text = after },
    };
}
