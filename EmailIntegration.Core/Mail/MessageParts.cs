using System.Net;
using MimeKit;
using MimeKit.Tnef;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// A message's MIME tree read the way mail clients show it: the readable inline parts in order
/// (several text parts of a multipart/mixed one after another, inline images between them), the
/// files, the messages it carries (forwarded as attachment, a digest's messages, the original in a
/// bounce, read receipt or feedback report) and whether it is signed. Signature parts are no file:
/// they stay in the raw message.
/// </summary>
internal sealed class MessageParts
{
    private readonly List<Segment> segments = [];
    private readonly List<(MimeEntity Entity, bool InSequence)> files = [];
    private int generated;

    private MessageParts()
    {
    }

    /// <summary>"S/MIME" or "OpenPGP" when the message carries a signature (not verified), else null.</summary>
    public string? Signature { get; private set; }

    /// <summary>The text version: MimeKit's own for a message with one readable part, else every part's text in order.</summary>
    public string? TextBody { get; private set; }

    /// <summary>The HTML version: MimeKit's own for a message with one readable part, else every part in order.</summary>
    public string? HtmlBody { get; private set; }

    public List<IncomingAttachment> Attachments { get; } = [];

    /// <summary>The MIME entity each attachment comes from, by the same index.</summary>
    public List<MimeEntity> Sources { get; } = [];

    public static MessageParts Read(MimeMessage message)
    {
        var parts = new MessageParts();
        if (message.Body is { } body)
        {
            parts.Walk(body, inMixed: false);
        }

        var readable = parts.segments.Count(s => s.Image is null);
        if (readable > 1)
        {
            parts.Compose();
        }
        else
        {
            parts.TextBody = message.TextBody;
            parts.HtmlBody = message.HtmlBody;
        }

        foreach (var (entity, inSequence) in parts.files)
        {
            foreach (var (attachment, source) in ToAttachments(entity, inSequence && readable > 1))
            {
                parts.Attachments.Add(attachment);
                parts.Sources.Add(source);
            }
        }

        return parts;
    }

    private void Walk(MimeEntity entity, bool inMixed)
    {
        switch (entity)
        {
            case MessagePart attached:
                files.Add((attached, false));
                break;
            case Multipart multipart when multipart.ContentType.IsMimeType("multipart", "signed"):
                Signature ??= SignatureKind(multipart.ContentType.Parameters["protocol"]) ?? "signed";
                if (multipart.Count > 0)
                {
                    Walk(multipart[0], inMixed);
                }

                // Anything beyond the signature is not part of what was signed, yet it is still the sender's.
                foreach (var extra in multipart.Skip(1).Where(e => SignatureKind(e.ContentType.MimeType) is null))
                {
                    Walk(extra, inMixed);
                }

                break;
            case MultipartAlternative alternative:
                WalkAlternative(alternative, inMixed);
                break;
            case MultipartRelated related when related.Root is { } root:
                Walk(root, inMixed);
                foreach (var other in related.Where(e => !ReferenceEquals(e, root)))
                {
                    Walk(other, inMixed: false);
                }

                break;
            case Multipart multipart:
                foreach (var child in multipart)
                {
                    Walk(child, inMixed: true);
                }

                break;
            case MimePart part when SignatureKind(part.ContentType.MimeType) is { } kind:
                Signature ??= kind;
                break;
            case TextPart text when !text.IsAttachment && (text.IsPlain || text.IsHtml):
                segments.Add(text.IsHtml ? new Segment(text.Text, HtmlText.Convert(text.Text), null) : new Segment(null, text.Text, null));
                break;
            case TextPart headers when headers.ContentType.IsMimeType("text", "rfc822-headers"):
                // A report that returns only the original's header: still the original, as far as it came back.
                files.Add((headers, false));
                break;
            case MimePart image when inMixed && image.ContentType.MediaType.Equals("image", StringComparison.OrdinalIgnoreCase)
                && image.ContentDisposition?.Disposition.Equals(ContentDisposition.Inline, StringComparison.OrdinalIgnoreCase) == true:
                segments.Add(new Segment(null, null, image));
                files.Add((image, true));
                break;
            case MimePart part:
                files.Add((part, false));
                break;
        }
    }

    /// <summary>The richest alternative a client would show: the last HTML one (or a structure holding it), else the last one.</summary>
    private void WalkAlternative(MultipartAlternative alternative, bool inMixed)
    {
        var chosen = alternative.LastOrDefault(e => e.ContentType.IsMimeType("text", "html") || e is Multipart)
            ?? alternative.LastOrDefault(e => e is TextPart { IsPlain: true })
            ?? alternative.LastOrDefault();
        if (chosen is null)
        {
            return;
        }

        var before = segments.Count;
        Walk(chosen, inMixed);
        var plain = alternative.OfType<TextPart>().FirstOrDefault(t => t.IsPlain && !t.IsAttachment);
        // The plain alternative is the sender's own text version of the same content.
        if (plain is not null && !ReferenceEquals(plain, chosen) && segments.Count == before + 1 && segments[before].Html is { } html)
        {
            segments[before] = new Segment(html, plain.Text, null);
        }
    }

    private void Compose()
    {
        var html = new System.Text.StringBuilder();
        var text = new System.Text.StringBuilder();
        foreach (var segment in segments)
        {
            if (segment.Image is { } image)
            {
                image.ContentId ??= $"inline-part-{++generated}@email-integration.invalid";
                html.Append("<div class=\"ei-inline-part\"><img src=\"cid:").Append(WebUtility.HtmlEncode(image.ContentId)).Append("\" alt=\"")
                    .Append(WebUtility.HtmlEncode(image.FileName ?? "image")).Append("\"></div>");
                continue;
            }

            html.Append("<div class=\"ei-inline-part\">")
                .Append(segment.Html ?? $"<div style=\"white-space: pre-wrap\">{WebUtility.HtmlEncode(segment.Text ?? "")}</div>")
                .Append("</div>");
            if (text.Length > 0)
            {
                text.Append("\n\n");
            }

            text.Append(segment.Text?.Trim('\r', '\n'));
        }

        HtmlBody = html.ToString();
        TextBody = text.ToString();
    }

    private static IEnumerable<(IncomingAttachment, MimeEntity)> ToAttachments(MimeEntity entity, bool shownInline)
    {
        switch (entity)
        {
            case MessagePart attached:
                yield return (AttachedMessage(attached), attached);
                break;
            case TextPart headers when headers.ContentType.IsMimeType("text", "rfc822-headers"):
                yield return (new IncomingAttachment(
                    MessageFileName(HeaderSubject(headers), headers.FileName), "message/rfc822", null, false,
                    async (destination, ct) => await headers.Content!.DecodeToAsync(destination, ct), IsMessage: true), headers);
                break;
            case TnefPart tnef when Unpack(tnef) is { } unpacked:
                foreach (var inner in unpacked)
                {
                    yield return (ToAttachment(inner, inline: false), inner);
                }

                break;
            case MimePart part:
                yield return (ToAttachment(part, shownInline || (!part.IsAttachment && !string.IsNullOrEmpty(part.ContentId))), part);
                break;
        }
    }

    /// <summary>The message an attachment carries: an attached message, or a report's returned header as a message without body.</summary>
    internal static MimeMessage? CarriedMessage(MimeEntity source)
    {
        if (source is MessagePart { Message: { } message })
        {
            return message;
        }

        if (source is TextPart headers && headers.Content is not null)
        {
            using var stream = new MemoryStream();
            headers.Content.DecodeTo(stream);
            stream.Write("\r\n\r\n"u8);
            stream.Position = 0;
            try
            {
                return MimeMessage.Load(stream);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        return null;
    }

    private static IncomingAttachment AttachedMessage(MessagePart attached) => new(
        MessageFileName(attached.Message?.Subject, attached.ContentDisposition?.FileName ?? attached.ContentType.Name),
        "message/rfc822", null, false,
        async (destination, ct) =>
        {
            if (attached.Message is { } inner)
            {
                await inner.WriteToAsync(FormatOptions.Default, destination, ct);
            }
        },
        IsMessage: true);

    /// <summary>An attached message's file is named by its subject, as mail clients save it.</summary>
    internal static string MessageFileName(string? subject, string? fileName)
    {
        var name = !string.IsNullOrWhiteSpace(subject) ? subject.Trim()
            : !string.IsNullOrWhiteSpace(fileName) ? Path.GetFileNameWithoutExtension(fileName.Replace('\\', '/')).Trim()
            : "Attached message";
        name = string.Concat(name.Select(c => char.IsControl(c) || c is '/' or '\\' ? ' ' : c)).Trim();
        if (name.Length > 120)
        {
            name = name[..120].TrimEnd();
        }

        return (name.Length == 0 ? "Attached message" : name) + ".eml";
    }

    private static string? HeaderSubject(TextPart headers)
    {
        try
        {
            using var stream = new MemoryStream();
            headers.Content!.DecodeTo(stream);
            stream.Position = 0;
            return HeaderList.Load(stream)[HeaderId.Subject];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    internal static string? SignatureKind(string? mimeType) => mimeType?.Trim().ToLowerInvariant() switch
    {
        "application/pkcs7-signature" or "application/x-pkcs7-signature" => "S/MIME",
        "application/pgp-signature" => "OpenPGP",
        _ => null,
    };

    /// <summary>Outlook's winmail.dat wraps the real attachments; a damaged one is kept as it is.</summary>
    private static List<MimePart>? Unpack(TnefPart tnef)
    {
        try
        {
            return tnef.ExtractAttachments().OfType<MimePart>().ToList();
        }
        catch (Exception ex) when (ex is TnefException or FormatException or IOException or ArgumentException)
        {
            return null;
        }
    }

    internal static IncomingAttachment ToAttachment(MimePart part, bool inline)
    {
        var name = part.FileName;
        if (string.IsNullOrWhiteSpace(name))
        {
            name = (part.ContentId ?? "attachment") + Extension(part.ContentType);
        }

        return new IncomingAttachment(
            Path.GetFileName(name.Replace('\\', '/')),
            part.ContentType.MimeType,
            string.IsNullOrEmpty(part.ContentId) ? null : part.ContentId.Trim('<', '>'),
            inline,
            async (destination, ct) =>
            {
                if (part.Content is not null)
                {
                    await part.Content.DecodeToAsync(destination, ct);
                }
            });
    }

    private static string Extension(ContentType type) => type.MimeType.ToLowerInvariant() switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "application/pdf" => ".pdf",
        "message/rfc822" => ".eml",
        "message/delivery-status" or "message/disposition-notification" or "message/feedback-report" => ".txt",
        _ => ".bin",
    };

    /// <summary>One readable part in order: HTML and its text, plain text alone, or an inline image.</summary>
    private sealed record Segment(string? Html, string? Text, MimePart? Image);
}
