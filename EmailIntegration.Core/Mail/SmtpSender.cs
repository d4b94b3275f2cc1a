using System.Net.Sockets;
using EmailIntegration.Core.Security;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// A send could not be completed. <see cref="Permanent"/>: the server refused this message for
/// good (a 5xx reply), so retrying cannot help; otherwise it is worth trying again later.
/// </summary>
public sealed class MailSendException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>One signed-in SMTP connection that sends several messages.</summary>
public sealed class SmtpSender : IAsyncDisposable
{
    private readonly SmtpClient client;

    private SmtpSender(SmtpClient client) => this.client = client;

    public static async Task<SmtpSender> OpenAsync(MailServer server, MailCredential credential, TlsOptions tls, CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = 60_000 };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Validate(certificate, errors);
        try
        {
            var options = server.Security switch
            {
                MailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                MailSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            };
            await client.ConnectAsync(server.Host, server.Port, options, cancellationToken);
            await client.AuthenticateAsync(credential.IsOAuthToken
                ? new SaslMechanismOAuth2(credential.UserName, credential.Secret)
                : new SaslMechanismPlain(credential.UserName, credential.Secret), cancellationToken);
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
            }, permanent: false, ex);
        }
    }

    public bool IsConnected => client.IsConnected;

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        using var mime = await BuildAsync(message, cancellationToken);
        try
        {
            await client.SendAsync(mime, cancellationToken);
        }
        catch (SmtpCommandException ex)
        {
            // 5xx: the server will never take this message (unknown recipient, too large, policy).
            throw new MailSendException($"The server answered {(int)ex.StatusCode}: {ex.Message}", (int)ex.StatusCode >= 500, ex);
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException or ServiceNotAuthenticatedException)
        {
            throw new MailSendException($"The connection failed while sending: {ex.Message}", permanent: false, ex);
        }
    }

    /// <summary>The MIME form of a message, for sending and for tests that look at what goes out.</summary>
    public static async Task<byte[]> ToMimeAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        using var mime = await BuildAsync(message, cancellationToken);
        using var buffer = new MemoryStream();
        await mime.WriteToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }

    private static async Task<MimeMessage> BuildAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(message.From.Name ?? "", message.From.Address));
        mime.To.AddRange(message.To.Select(a => new MailboxAddress(a.Name ?? "", a.Address)));
        mime.Subject = message.Subject;
        mime.MessageId = message.MessageId;
        mime.Date = message.Date == default ? DateTimeOffset.UtcNow : message.Date;
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
        var opened = new List<Stream>();
        try
        {
            foreach (var attachment in message.Attachments)
            {
                var stream = await attachment.OpenAsync(cancellationToken)
                    ?? throw new MailSendException($"The attachment {attachment.FileName} is missing from the file store.", permanent: true);
                opened.Add(stream);
                var buffered = new MemoryStream();
                await stream.CopyToAsync(buffered, cancellationToken);
                buffered.Position = 0;
                await body.Attachments.AddAsync(attachment.FileName, buffered, cancellationToken);
            }
        }
        finally
        {
            foreach (var stream in opened)
            {
                await stream.DisposeAsync();
            }
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
        catch (Exception ex) when (ex is IOException or SocketException or SmtpProtocolException or SmtpCommandException)
        {
            // Closing a connection the server already dropped.
        }

        client.Dispose();
    }
}
