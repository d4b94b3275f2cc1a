using System.Net;
using System.Net.Sockets;
using EmailIntegration.Core.Security;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EmailIntegration.Core.Mail;

/// <summary>One signed-in SMTP connection that sends several messages.</summary>
public sealed class SmtpSender : IAsyncDisposable
{
    private readonly TolerantSmtpClient client;

    private SmtpSender(TolerantSmtpClient client) => this.client = client;

    public static async Task<SmtpSender> OpenAsync(MailServer server, MailCredential credential, TlsOptions tls, CancellationToken cancellationToken)
    {
        var client = new TolerantSmtpClient { Timeout = 60_000 };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Validate(certificate, errors);
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.Security.SocketOptions(), cancellationToken);
            if (credential.IsOAuthToken)
            {
                await client.AuthenticateAsync(new SaslMechanismOAuth2(credential.UserName, credential.Secret), cancellationToken);
            }
            else
            {
                // The server picks among the mechanisms it offers (PLAIN, LOGIN, ...).
                await client.AuthenticateAsync(new NetworkCredential(credential.UserName, credential.Secret), cancellationToken);
            }

            return new SmtpSender(client);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            client.Dispose();
            // A refused sign-in or an unreachable server is the account's problem, not the message's: try later.
            throw new MailSendException(ex switch
            {
                AuthenticationException => $"{server} refused the sign-in: {ex.Message}",
                _ => $"Could not connect to {server}: {ex.Message}",
            }, SendFailure.Transient, ex);
        }
    }

    public bool IsConnected => client.IsConnected;

    /// <summary>
    /// Sends one message. Recipients the server refuses do not stop the others; when it refuses
    /// all of them the send fails (permanently for 5xx). Throws <see cref="MailSendException"/> only.
    /// </summary>
    public async Task<SendReceipt> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var opened = new List<Stream>();
        var progress = new Progress();
        try
        {
            using var mime = await BuildAsync(message, opened, cancellationToken);
            client.Refused.Clear();
            await client.SendAsync(mime, cancellationToken, progress);
            return new SendReceipt(client.Refused.Select(r => r.Address).ToList(),
                client.Refused.Count == 0 ? null : string.Join("; ", client.Refused.Select(r => $"{r.Address}: {(int)r.Code} {r.Text}")));
        }
        catch (SmtpCommandException ex)
        {
            // The server answered, so the outcome is known: 5xx for good, 4xx for now.
            var refused = client.Refused.Count == 0 ? "" : " " + string.Join("; ", client.Refused.Select(r => $"{r.Address}: {(int)r.Code} {r.Text}"));
            throw new MailSendException($"The server answered {(int)ex.StatusCode}: {ex.Message}{refused}",
                (int)ex.StatusCode >= 500 ? SendFailure.Permanent : SendFailure.Transient, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or TimeoutException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException)
        {
            if (progress.WholeMessageWritten)
            {
                throw new MailSendException(
                    $"The connection failed after the message was written, before the server confirmed it ({ex.Message}); it may have been delivered.",
                    SendFailure.Uncertain, ex);
            }

            throw new MailSendException($"The connection failed while sending: {ex.Message}", SendFailure.Transient, ex);
        }
        catch (ParseException ex)
        {
            throw new MailSendException($"An address of the message is not valid: {ex.Message}", SendFailure.Permanent, ex);
        }
        finally
        {
            foreach (var stream in opened)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static async Task<MimeMessage> BuildAsync(OutgoingMessage message, List<Stream> opened, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(message.From.Name ?? "", message.From.Address));
        mime.To.AddRange(message.To.Select(a => new MailboxAddress(a.Name ?? "", a.Address)));
        mime.Subject = message.Subject;
        mime.MessageId = message.MessageId;
        mime.Date = message.Date;
        if (message.InReplyTo is { Length: > 0 } inReplyTo)
        {
            mime.InReplyTo = inReplyTo;
        }

        foreach (var reference in message.References.Where(r => r.Length > 0))
        {
            mime.References.Add(reference);
        }

        if (message.AutoSubmitted is { } autoSubmitted)
        {
            mime.Headers.Add("Auto-Submitted", autoSubmitted);
        }

        // Exchange and Outlook send no out-of-office or read receipts for it.
        mime.Headers.Add("X-Auto-Response-Suppress", "All");

        var body = new BodyBuilder { HtmlBody = message.Html, TextBody = message.Text ?? HtmlText.Convert(message.Html) };
        foreach (var attachment in message.Attachments)
        {
            Stream? stream;
            try
            {
                stream = await attachment.OpenAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new MailSendException($"The attachment {attachment.FileName} could not be read: {ex.Message}", SendFailure.Transient, ex);
            }

            if (stream is null)
            {
                throw new MailSendException($"The attachment {attachment.FileName} is missing from the file store.", SendFailure.Permanent);
            }

            // Streamed from the file store while the message is written; never a copy in memory.
            opened.Add(stream);
            body.Attachments.Add(new MimePart(MimeTypes.GetMimeType(attachment.FileName))
            {
                Content = new MimeContent(stream),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = attachment.FileName,
            });
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(true, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException or TimeoutException)
        {
            // Closing a connection the server already dropped.
        }

        client.Dispose();
    }

    /// <summary>Knows whether every byte of the message went out (then a failure may still have delivered it).</summary>
    private sealed class Progress : ITransferProgress
    {
        public bool WholeMessageWritten { get; private set; }

        public void Report(long bytesTransferred, long totalSize) => WholeMessageWritten = bytesTransferred > 0 && bytesTransferred >= totalSize;

        // Without a known size any written byte counts: better to ask an admin than to deliver twice.
        public void Report(long bytesTransferred) => WholeMessageWritten = bytesTransferred > 0;
    }

    /// <summary>An SMTP client that sends to the recipients the server accepts and remembers the ones it refused.</summary>
    private sealed class TolerantSmtpClient : SmtpClient
    {
        public List<(string Address, SmtpStatusCode Code, string Text)> Refused { get; } = [];

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
            Refused.Add((mailbox.Address, response.StatusCode, response.Response));

        protected override void OnNoRecipientsAccepted(MimeMessage message)
        {
            var worst = Refused.Count == 0 ? SmtpStatusCode.MailboxUnavailable : Refused.Max(r => r.Code);
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, worst, "No recipient was accepted.");
        }
    }
}
