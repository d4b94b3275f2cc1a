using System.Security.Cryptography;
using MimeKit;

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
    public static void RegisterLegacyCharsets()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        System.Text.Encoding.RegisterProvider(Utf7Provider);
    }

    private static readonly Utf7Encoding.Provider Utf7Provider = new();

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
            MimeMessage message;
            MessageParts parts;
            try
            {
                message = await parser.ParseMessageAsync(cancellationToken);
            }
            catch (FormatException ex)
            {
                // Kept whole with the reason, so it gets a failure record with its .eml and a retry like any other.
                return await UnreadableAsync(stream, spoolPath, messageRef, hash, $"The message's header could not be read ({ex.Message.TrimEnd('.')})", cancellationToken);
            }

            try
            {
                parts = MessageParts.Read(message);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                message.Dispose();
                return await UnreadableAsync(stream, spoolPath, messageRef, hash, $"The message's structure could not be read ({ex.GetType().Name}: {ex.Message.TrimEnd('.')})", cancellationToken);
            }

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
                TextBody = parts.TextBody,
                HtmlBody = parts.HtmlBody,
                PlainText = parts.TextBody ?? (parts.HtmlBody is { } html ? HtmlText.Convert(html) : null),
                Attachments = parts.Attachments,
                Signature = parts.Signature,
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

    private static async Task<IncomingMessage> UnreadableAsync(
        Stream stream, string? spoolPath, MailboxMessageRef messageRef, string hash, string what, CancellationToken cancellationToken) =>
        Refused(stream, spoolPath, messageRef, hash, $"{what}: it is not a valid email. The raw message is kept here unchanged.",
            await HeaderBounds.FirstSubjectLineAsync(stream, cancellationToken), await HeaderBounds.FirstFromLineAsync(stream, cancellationToken));

    /// <summary>A message refused before parsing: only what the failure record needs, and its raw bytes.</summary>
    private static IncomingMessage Refused(
        Stream stream, string? spoolPath, MailboxMessageRef messageRef, string hash, string reason, string subject, MessageAddress? from = null) => new()
        {
            Ref = messageRef,
            Subject = IncomingMessage.TrimSubject(subject),
            From = from,
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
