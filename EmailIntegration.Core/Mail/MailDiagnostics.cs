using System.Net.Sockets;
using EmailIntegration.Core.Security;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Checks a mailbox step by step, the way a person would: name, connection, TLS, IMAP sign-in,
/// INBOX, the failure folder, SMTP sign-in. A failed step skips the steps that depend on it.
/// </summary>
public sealed class MailDiagnostics(IOptions<TlsOptions> tls)
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    public async Task<IReadOnlyList<DiagnosticStep>> RunAsync(DiagnosticRequest request, CancellationToken cancellationToken)
    {
        var steps = new List<DiagnosticStep>();
        MailCredential? credential = null;
        string? credentialError = null;
        try
        {
            credential = await request.Credential(cancellationToken);
        }
        catch (MailCredentialException ex)
        {
            credentialError = ex.Message;
        }

        await CheckImapAsync(request, credential, credentialError, steps, cancellationToken);
        await CheckSmtpAsync(request, credential, credentialError, steps, cancellationToken);
        return steps;
    }

    private async Task CheckImapAsync(
        DiagnosticRequest request, MailCredential? credential, string? credentialError, List<DiagnosticStep> steps, CancellationToken cancellationToken)
    {
        if (!await CheckReachableAsync("IMAP", request.Imap, steps, cancellationToken))
        {
            Skip(steps, "IMAP TLS", "IMAP sign-in", "INBOX", "Failure folder");
            return;
        }

        using var client = new ImapClient { Timeout = (int)StepTimeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Value.Validate(certificate, errors);
        if (!await ConnectAsync("IMAP TLS", request.Imap, (h, p, o, ct) => client.ConnectAsync(h, p, o, ct), steps, cancellationToken))
        {
            Skip(steps, "IMAP sign-in", "INBOX", "Failure folder");
            return;
        }

        if (credential is null)
        {
            steps.Add(new("IMAP sign-in", DiagnosticOutcome.Failed, credentialError ?? "No credential.", "Fix the sign-in first (see the message)."));
            Skip(steps, "INBOX", "Failure folder");
            return;
        }

        try
        {
            await client.AuthenticateAsync(Mechanism(credential), cancellationToken);
            steps.Add(new("IMAP sign-in", DiagnosticOutcome.Passed, $"Signed in to {request.Mailbox} with {(credential.IsOAuthToken ? "XOAUTH2" : "a password")}."));
        }
        catch (AuthenticationException ex)
        {
            steps.Add(new("IMAP sign-in", DiagnosticOutcome.Failed, $"The server refused the sign-in: {ex.Message}", ImapSignInFix(request, credential)));
            Skip(steps, "INBOX", "Failure folder");
            return;
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or OperationCanceledException or SocketException)
        {
            steps.Add(new("IMAP sign-in", DiagnosticOutcome.Failed, $"The connection broke during sign-in: {ex.Message}", "Try again; if it persists, check the server."));
            Skip(steps, "INBOX", "Failure folder");
            return;
        }

        try
        {
            await client.Inbox.OpenAsync(FolderAccess.ReadOnly, cancellationToken);
            steps.Add(new("INBOX", DiagnosticOutcome.Passed, $"{client.Inbox.Count} messages, {client.Inbox.Unread} unread."));
            await client.Inbox.CloseAsync(false, cancellationToken);
        }
        catch (Exception ex) when (ex is ImapCommandException or FolderNotFoundException or IOException or ImapProtocolException)
        {
            steps.Add(new("INBOX", DiagnosticOutcome.Failed, $"INBOX could not be opened: {ex.Message}",
                "The signed-in user has no access to this mailbox's INBOX. Give the user full access to the shared mailbox."));
        }

        steps.Add(await CheckFailureFolderAsync(client, request.FailureFolder, cancellationToken));
        await client.DisconnectAsync(true, CancellationToken.None);
    }

    private static async Task<DiagnosticStep> CheckFailureFolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            var existing = (await root.GetSubfoldersAsync(false, cancellationToken))
                .FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
            if (existing is not null)
            {
                return new("Failure folder", DiagnosticOutcome.Passed, $"\"{existing.FullName}\" exists.");
            }

            var created = await root.CreateAsync(name, true, cancellationToken);
            return new("Failure folder", DiagnosticOutcome.Passed, $"\"{created?.FullName ?? name}\" was created.");
        }
        catch (Exception ex) when (ex is ImapCommandException or IOException or ImapProtocolException or InvalidOperationException)
        {
            return new("Failure folder", DiagnosticOutcome.Failed, $"\"{name}\" neither exists nor could be created: {ex.Message}",
                "Create the folder in the mailbox by hand, or choose another name on the account.");
        }
    }

    private async Task CheckSmtpAsync(
        DiagnosticRequest request, MailCredential? credential, string? credentialError, List<DiagnosticStep> steps, CancellationToken cancellationToken)
    {
        if (!await CheckReachableAsync("SMTP", request.Smtp, steps, cancellationToken))
        {
            Skip(steps, "SMTP TLS", "SMTP sign-in");
            return;
        }

        using var client = new SmtpClient { Timeout = (int)StepTimeout.TotalMilliseconds };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Value.Validate(certificate, errors);
        if (!await ConnectAsync("SMTP TLS", request.Smtp, (h, p, o, ct) => client.ConnectAsync(h, p, o, ct), steps, cancellationToken))
        {
            Skip(steps, "SMTP sign-in");
            return;
        }

        if (credential is null)
        {
            steps.Add(new("SMTP sign-in", DiagnosticOutcome.Failed, credentialError ?? "No credential.", "Fix the sign-in first (see the message)."));
            return;
        }

        try
        {
            await client.AuthenticateAsync(Mechanism(credential), cancellationToken);
            steps.Add(new("SMTP sign-in", DiagnosticOutcome.Passed, $"Signed in to send as {request.Mailbox}."));
            await client.DisconnectAsync(true, CancellationToken.None);
        }
        catch (AuthenticationException ex)
        {
            steps.Add(new("SMTP sign-in", DiagnosticOutcome.Failed, $"The server refused the sign-in: {ex.Message}", SmtpSignInFix(request, credential)));
        }
        catch (Exception ex) when (ex is SmtpCommandException or SmtpProtocolException or IOException or NotSupportedException)
        {
            steps.Add(new("SMTP sign-in", DiagnosticOutcome.Failed, $"The server did not accept sign-in: {ex.Message}", SmtpSignInFix(request, credential)));
        }
    }

    private static async Task<bool> CheckReachableAsync(string protocol, MailServer server, List<DiagnosticStep> steps, CancellationToken cancellationToken)
    {
        System.Net.IPAddress[] addresses;
        try
        {
            addresses = await System.Net.Dns.GetHostAddressesAsync(server.Host, cancellationToken);
            steps.Add(new($"{protocol} server name", DiagnosticOutcome.Passed, $"{server.Host} is {string.Join(", ", addresses.Take(3).Select(a => a.ToString()))}."));
        }
        catch (SocketException ex)
        {
            steps.Add(new($"{protocol} server name", DiagnosticOutcome.Failed, $"{server.Host} could not be resolved: {ex.Message}",
                $"Check the {protocol} host name for typing errors, and that this server can resolve public names (DNS)."));
            Skip(steps, $"{protocol} connection");
            return false;
        }

        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        try
        {
            await socket.ConnectAsync(addresses, server.Port, timeout.Token);
            steps.Add(new($"{protocol} connection", DiagnosticOutcome.Passed, $"Port {server.Port} on {server.Host} answers."));
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            steps.Add(new($"{protocol} connection", DiagnosticOutcome.Failed, $"Port {server.Port} on {server.Host} does not answer: {ex.Message}",
                $"Check the port, and that a firewall lets this server connect out to {server.Host}:{server.Port}."));
            return false;
        }
    }

    private static async Task<bool> ConnectAsync(
        string name, MailServer server, Func<string, int, SecureSocketOptions, CancellationToken, Task> connect,
        List<DiagnosticStep> steps, CancellationToken cancellationToken)
    {
        var options = server.Security.SocketOptions();
        try
        {
            await connect(server.Host, server.Port, options, cancellationToken);
            steps.Add(server.Security == MailSecurity.None
                ? new(name, DiagnosticOutcome.Warning, "Connected without TLS: passwords and mail cross the network unencrypted.",
                    "Use SSL on connect or STARTTLS unless the server is on this machine.")
                : new(name, DiagnosticOutcome.Passed, $"Encrypted connection ({server.Security}) with a trusted certificate."));
            return true;
        }
        catch (SslHandshakeException ex)
        {
            steps.Add(new(name, DiagnosticOutcome.Failed, $"The TLS handshake failed: {ex.Message}",
                "The server's certificate is not trusted, or the port expects the other kind of TLS (993/465 are SSL on connect, 143/587 use STARTTLS)."));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or NotSupportedException
            or ImapProtocolException or SmtpProtocolException or SmtpCommandException)
        {
            steps.Add(new(name, DiagnosticOutcome.Failed, $"The server did not complete the greeting: {ex.Message}",
                "Check that the port belongs to this protocol and the security setting matches it."));
        }

        return false;
    }

    private static SaslMechanism Mechanism(MailCredential credential) => credential.IsOAuthToken
        ? new SaslMechanismOAuth2(credential.UserName, credential.Secret)
        : new SaslMechanismPlain(credential.UserName, credential.Secret);

    private static string ImapSignInFix(DiagnosticRequest request, MailCredential credential) => (request.Provider, credential.IsOAuthToken) switch
    {
        (MailProviderKind.Microsoft, true) =>
            $"The user who consented has no access to the shared mailbox {request.Mailbox}, or IMAP is turned off for it. In the Microsoft 365 admin center give that user Full Access to the shared mailbox, check that IMAP is enabled for the mailbox, then press Authenticate again.",
        (MailProviderKind.Google, true) =>
            $"Google accepted the sign-in, but not for {request.Mailbox}. Press Authenticate again and sign in as {request.Mailbox} itself, and check that IMAP is enabled in its Gmail settings.",
        _ => "Check the user name and password. Some servers want the whole email address as user name; some need an app password.",
    };

    private static string SmtpSignInFix(DiagnosticRequest request, MailCredential credential) => (request.Provider, credential.IsOAuthToken) switch
    {
        (MailProviderKind.Microsoft, true) =>
            $"Authenticated SMTP (SMTP AUTH) is disabled for {request.Mailbox}, or the application lacks the SMTP.Send permission. Enable Authenticated SMTP for the mailbox (Microsoft 365 admin center › Active users › Mail › Manage email apps), add SMTP.Send to the app registration, then press Authenticate again.",
        (MailProviderKind.Google, true) =>
            $"Gmail refused to send as {request.Mailbox}. Sign in as the mailbox itself and grant the https://mail.google.com/ scope.",
        _ => "Check the SMTP user name and password, and that the server allows authenticated submission on this port.",
    };

    private static void Skip(List<DiagnosticStep> steps, params string[] names)
    {
        foreach (var name in names)
        {
            steps.Add(new(name, DiagnosticOutcome.Skipped, "Not checked: an earlier step failed."));
        }
    }
}
