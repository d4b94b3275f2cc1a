using System.Security.Cryptography;
using MimeKit;
using MimeKit.Tnef;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Parses a message spooled to a file into an <see cref="IncomingMessage"/>. The parse is
/// persistent: attachment contents stay in the file and are decoded straight to their
/// destination, so a large message is never held in memory twice.
/// </summary>
public static class MessageReader
{
    static MessageReader() => RegisterLegacyCharsets();

    /// <summary>
    /// Makes Windows code pages, GB2312, ISO-2022-JP and the other legacy charsets available.
    /// Note: must run before MimeKit first maps charset names, so the App calls it while it registers services.
    /// </summary>
    public static void RegisterLegacyCharsets() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static Task<IncomingMessage> ReadAsync(string spoolPath, MailboxMessageRef messageRef, CancellationToken cancellationToken) =>
        ReadAsync(new FileStream(spoolPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous), spoolPath, messageRef, cancellationToken);

    /// <summary>Parses a small message held in memory (its bytes were fetched whole).</summary>
    public static Task<IncomingMessage> ReadAsync(MemoryStream stream, MailboxMessageRef messageRef, CancellationToken cancellationToken) =>
        ReadAsync(stream, null, messageRef, cancellationToken);

    private static async Task<IncomingMessage> ReadAsync(Stream stream, string? spoolPath, MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        try
        {
            var hash = Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken));
            if (await HeaderBounds.CheckAsync(stream, cancellationToken) is { } refusal)
            {
                return Refused(stream, spoolPath, messageRef, hash, refusal, await HeaderBounds.FirstSubjectLineAsync(stream, cancellationToken));
            }

            stream.Position = 0;
            var parser = new MimeParser(stream, MimeFormat.Entity, persistent: true);
            var message = await parser.ParseMessageAsync(cancellationToken);
            return new IncomingMessage
            {
                Ref = messageRef,
                MessageId = string.IsNullOrWhiteSpace(message.MessageId) ? null : message.MessageId.Trim(),
                InReplyTo = string.IsNullOrWhiteSpace(message.InReplyTo) ? [] : [message.InReplyTo.Trim()],
                References = message.References.ToList(),
                Subject = IncomingMessage.TrimSubject(message.Subject ?? ""),
                From = message.From.Mailboxes.Select(ToAddress).FirstOrDefault(),
                To = message.To.Mailboxes.Select(ToAddress).ToList(),
                Cc = message.Cc.Mailboxes.Select(ToAddress).ToList(),
                Date = message.Date == DateTimeOffset.MinValue ? messageRef.InternalDate : message.Date,
                TextBody = message.TextBody,
                HtmlBody = message.HtmlBody,
                PlainText = message.TextBody ?? (message.HtmlBody is { } html ? HtmlText.Convert(html) : null),
                Attachments = Attachments(message).ToList(),
                AutomaticReason = AutomaticReason(message),
                Language = message.Headers[HeaderId.ContentLanguage] is { Length: > 0 } language ? language.Split(',')[0].Trim() : null,
                ContentHash = hash,
                Size = stream.Length,
                WriteRawAsync = WriteRaw(stream, spoolPath),
                Owner = new Owned(stream, message),
                SpoolPath = spoolPath,
            };
        }
        catch
        {
            await stream.DisposeAsync();
            throw;
        }
    }

    /// <summary>A message refused before parsing: only what the failure record needs, and its raw bytes.</summary>
    private static IncomingMessage Refused(Stream stream, string? spoolPath, MailboxMessageRef messageRef, string hash, string reason, string subject) => new()
    {
        Ref = messageRef,
        Subject = IncomingMessage.TrimSubject(subject),
        Date = messageRef.InternalDate,
        ContentHash = hash,
        Size = stream.Length,
        Refusal = reason,
        WriteRawAsync = WriteRaw(stream, spoolPath),
        Owner = stream,
        SpoolPath = spoolPath,
    };

    private static Func<Stream, CancellationToken, Task> WriteRaw(Stream stream, string? spoolPath) => async (destination, ct) =>
    {
        if (stream is MemoryStream memory)
        {
            await destination.WriteAsync(memory.GetBuffer().AsMemory(0, (int)memory.Length), ct);
            return;
        }

        await using var raw = File.OpenRead(spoolPath!);
        await raw.CopyToAsync(destination, ct);
    };

    private static MessageAddress ToAddress(MailboxAddress mailbox) =>
        new(mailbox.Address.Trim(), string.IsNullOrWhiteSpace(mailbox.Name) ? null : mailbox.Name.Trim());

    private static IEnumerable<IncomingAttachment> Attachments(MimeMessage message)
    {
        foreach (var part in message.BodyParts.OfType<MimePart>())
        {
            if (part is TnefPart tnef && Unpack(tnef) is { } unpacked)
            {
                foreach (var inner in unpacked)
                {
                    yield return ToAttachment(inner, inline: false);
                }

                continue;
            }

            var isBody = !part.IsAttachment && part is TextPart && (part.ContentType.IsMimeType("text", "plain") || part.ContentType.IsMimeType("text", "html"));
            if (isBody)
            {
                continue;
            }

            var inline = !part.IsAttachment && !string.IsNullOrEmpty(part.ContentId);
            yield return ToAttachment(part, inline);
        }
    }

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

    private static IncomingAttachment ToAttachment(MimePart part, bool inline)
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
        _ => ".bin",
    };

    /// <summary>RFC 3834 and the usual list and bounce markers; null for a person's mail.</summary>
    internal static string? AutomaticReason(MimeMessage message)
    {
        var headers = message.Headers;
        if (headers["Auto-Submitted"] is { Length: > 0 } autoSubmitted && !autoSubmitted.Trim().StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Auto-Submitted: {autoSubmitted.Trim()}";
        }

        if (headers["Precedence"] is { } precedence && precedence.Trim().ToLowerInvariant() is "bulk" or "list" or "junk" or "auto_reply")
        {
            return $"Precedence: {precedence.Trim()}";
        }

        if (headers.Contains("X-Autoreply") || headers.Contains("X-Autorespond"))
        {
            return "auto-reply header";
        }

        if (headers.Contains("List-Unsubscribe") || headers.Contains("List-Id"))
        {
            return "mailing list";
        }

        if (headers["Return-Path"] is { } returnPath && returnPath.Trim() == "<>")
        {
            return "bounce (empty Return-Path)";
        }

        var from = message.From.Mailboxes.FirstOrDefault()?.LocalPart ?? "";
        if (from.Equals("mailer-daemon", StringComparison.OrdinalIgnoreCase) || from.Equals("postmaster", StringComparison.OrdinalIgnoreCase))
        {
            return "bounce (mailer-daemon)";
        }

        return message.Body is MultipartReport ? "delivery report" : null;
    }

    private sealed class Owned(Stream stream, MimeMessage message) : IDisposable
    {
        public void Dispose()
        {
            message.Dispose();
            stream.Dispose();
        }
    }
}
