using System.Net;
using MimeKit;
using MimeKit.Utils;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The demo's side of the built-in mailboxes, in the spirit of a developer mail catcher: every address's
/// mail listed and read (sanitized, with headers and raw source), and mail written as a customer, a reply
/// threaded with In-Reply-To and References or a new message, delivered as a server would.
/// </summary>
public sealed class DemoMail(MailStore store, TimeProvider clock)
{
    private static readonly string[] ShownHeaders = ["From", "To", "Cc", "Subject", "Date", "Message-ID", "In-Reply-To", "Auto-Submitted"];

    /// <summary>Raw source shown up to this size; the rest is in the message's download.</summary>
    private const int RawLimit = 200 * 1024;

    public async Task<IReadOnlyList<MailSummary>> ListAsync(string address, CancellationToken cancellationToken = default)
    {
        var inbox = await store.FolderAsync(address, MailStore.Inbox, cancellationToken);
        var list = new List<MailSummary>();
        foreach (var message in inbox?.Messages ?? [])
        {
            list.Add(Summarize(message, await LoadHeadersAsync(message, cancellationToken)));
        }

        return list.OrderByDescending(m => m.Date).ToList();
    }

    public async Task<MailView?> ReadAsync(string address, uint uid, CancellationToken cancellationToken = default)
    {
        var stored = (await store.FolderAsync(address, MailStore.Inbox, cancellationToken))?.Messages.FirstOrDefault(m => m.Uid == uid);
        if (stored is null)
        {
            return null;
        }

        var message = await LoadAsync(stored, cancellationToken);
        var headers = ShownHeaders
            .Select(name => new KeyValuePair<string, string>(name, message.Headers[name] ?? ""))
            .Where(h => h.Value.Length > 0).ToList();
        var html = message.HtmlBody ?? $"<pre>{WebUtility.HtmlEncode(message.TextBody ?? "")}</pre>";
        await using var raw = store.OpenMessage(stored);
        using var reader = new StreamReader(raw);
        var buffer = new char[RawLimit];
        var read = await reader.ReadBlockAsync(buffer, cancellationToken);
        return new MailView(Summarize(stored, message.Headers), headers, MessageHtml.Sanitize(html), new string(buffer, 0, read), stored.Size > RawLimit);
    }

    /// <summary>The customer at <paramref name="customer"/> answers one of their messages: to its sender, in its thread.</summary>
    public async Task ReplyAsCustomerAsync(string customer, uint uid, string text, CancellationToken cancellationToken = default)
    {
        var stored = (await store.FolderAsync(customer, MailStore.Inbox, cancellationToken))?.Messages.FirstOrDefault(m => m.Uid == uid)
            ?? throw new InvalidOperationException("That message is no longer in the mailbox.");
        var original = await LoadAsync(stored, cancellationToken);
        var to = (original.ReplyTo.Mailboxes.FirstOrDefault() ?? original.From.Mailboxes.First()).Address;
        var reply = New(NameOf(original, customer), customer, to, Subject(original.Subject), text);
        reply.InReplyTo = original.MessageId;
        reply.References.AddRange(original.References);
        if (original.MessageId is { } id)
        {
            reply.References.Add(id);
        }

        await DeliverAsync(reply, to, cancellationToken);
    }

    /// <summary>Someone new writes to <paramref name="to"/>.</summary>
    public Task WriteAsync(string fromName, string fromAddress, string to, string subject, string text, CancellationToken cancellationToken = default) =>
        DeliverAsync(New(fromName, fromAddress, to, subject, text), to, cancellationToken);

    /// <summary>Whether a stored message was written by a person (not an auto-reply or notification), for the customer simulator.</summary>
    public async Task<(string From, bool Automatic)> SenderAsync(StoredMessage message, CancellationToken cancellationToken = default)
    {
        var headers = await LoadHeadersAsync(message, cancellationToken);
        var summary = Summarize(message, headers);
        return (headers[HeaderId.From] is { } from && MailboxAddress.TryParse(from, out var address) ? address.Address : summary.From, summary.Automatic);
    }

    private MimeMessage New(string fromName, string fromAddress, string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, fromAddress));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Date = clock.GetUtcNow();
        message.MessageId = MimeUtils.GenerateMessageId(fromAddress[(fromAddress.IndexOf('@') + 1)..]);
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    private async Task DeliverAsync(MimeMessage message, string to, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        await message.WriteToAsync(stream, cancellationToken);
        await store.DeliverAsync(to, stream.ToArray(), cancellationToken);
    }

    private static string Subject(string? subject) =>
        subject is null ? "Re:" : subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject;

    private static string NameOf(MimeMessage original, string customer) =>
        original.To.Mailboxes.Concat(original.Cc.Mailboxes).FirstOrDefault(m => string.Equals(m.Address, customer, StringComparison.OrdinalIgnoreCase))?.Name is { Length: > 0 } name
            ? name
            : customer[..customer.IndexOf('@')];

    private static MailSummary Summarize(StoredMessage message, HeaderList headers) => new(
        message.Uid,
        headers[HeaderId.From] ?? "",
        headers[HeaderId.Subject] is { } subject ? Rfc2047.DecodeText(System.Text.Encoding.UTF8.GetBytes(subject)) : "(no subject)",
        DateUtils.TryParse(headers[HeaderId.Date] ?? "", out var date) ? date : message.Received,
        message.Seen,
        headers["Auto-Submitted"] is { } auto && !auto.Equals("no", StringComparison.OrdinalIgnoreCase));

    private async Task<HeaderList> LoadHeadersAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenMessage(message);
        return await HeaderList.LoadAsync(stream, cancellationToken);
    }

    private async Task<MimeMessage> LoadAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        await using var stream = store.OpenMessage(message);
        return await MimeMessage.LoadAsync(stream, cancellationToken);
    }
}
