using EmailIntegration.Core.Security;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// One IMAP connection to one mailbox's INBOX, used by one import at a time (MailKit clients
/// are not thread-safe). Everything outside Mail/ sees only the product's own types. This part:
/// the connection, its sign-in, and the order of the commands on it.
/// </summary>
public sealed partial class MailboxSession : IAsyncDisposable
{
    private readonly ImapClient client;
    private readonly string spoolFolder;

    // The last command queued on the connection in the background (a fetch, \Seen flags): the next
    // one runs after it, as the connection carries one command at a time.
    private Task tail = Task.CompletedTask;

    // Set when the server reports more (or fewer) messages in INBOX, during any command, and cleared when
    // unseen mail is listed. The server reports new mail once, in whatever command's response comes next:
    // mail that arrives while a pass runs over this connection is reported to the pass's commands, not to
    // the IDLE after it, so the wait must know it came.
    private volatile bool countChanged;

    private MailboxSession(ImapClient client, string spoolFolder)
    {
        this.client = client;
        this.spoolFolder = spoolFolder;
        client.Inbox.CountChanged += (_, _) => countChanged = true;
    }

    public bool SupportsIdle => client.Capabilities.HasFlag(ImapCapabilities.Idle);

    public static Task<MailboxSession> OpenAsync(
        MailServer server, MailCredential credential, TlsOptions tls, string spoolFolder, CancellationToken cancellationToken) =>
        Guard(() => OpenCoreAsync(server, credential, tls, spoolFolder, cancellationToken), $"Connecting to {server}");

    private static async Task<MailboxSession> OpenCoreAsync(
        MailServer server, MailCredential credential, TlsOptions tls, string spoolFolder, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = 60_000 };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Validate(certificate, errors);
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.Security.SocketOptions(), cancellationToken);
            await client.AuthenticateAsync(credential.IsOAuthToken
                ? new SaslMechanismOAuth2(credential.UserName, credential.Secret)
                : new SaslMechanismPlain(credential.UserName, credential.Secret), cancellationToken);
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            Directory.CreateDirectory(spoolFolder);
            return new MailboxSession(client, spoolFolder);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Waits for all background work on the connection and reports a failed \Seen.</summary>
    public async Task FlushAsync()
    {
        await Settle(tail);
        await SettleSeenAsync(wait: true);
    }

    /// <summary>Queues a command after whatever runs on the connection in the background; gives its task.</summary>
    private Task<T> InBackground<T>(Func<Task<T>> operation, string what)
    {
        var previous = tail;
        var queued = After(previous, () => Guard(operation, what));
        tail = queued;
        return queued;
    }

    /// <summary>Runs an operation once the one before it on the connection is done, whatever its outcome.</summary>
    private static async Task<T> After<T>(Task previous, Func<Task<T>> operation)
    {
        await Settle(previous);
        return await operation();
    }

    private static async Task Settle(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception)
        {
            // Reported by whoever waits for it; a broken connection fails the next operation too.
        }
    }

    /// <summary>A command of its own: after the background work, with a failed \Seen reported first.</summary>
    private async Task<T> Exclusive<T>(Func<Task<T>> action, string what)
    {
        await FlushAsync();
        return await Guard(action, what);
    }

    /// <summary>MailKit's failures as <see cref="MailboxException"/>, so nothing outside Mail/ sees its types.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action, string what)
    {
        try
        {
            return await action();
        }
        catch (AuthenticationException ex)
        {
            throw new MailboxException($"{what}: the server refused the sign-in ({ex.Message}).", transient: false, ex);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ImapProtocolException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException or SslHandshakeException)
        {
            throw new MailboxException($"{what}: {ex.Message}", transient: true, ex);
        }
        catch (Exception ex) when (ex is ImapCommandException or FolderNotFoundException or MessageNotFoundException or FormatException)
        {
            throw new MailboxException($"{what}: {ex.Message}", transient: false, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync();
        }
        catch (Exception)
        {
            // Closing anyway: failed background work must not keep the connection open.
        }

        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or OperationCanceledException or ImapCommandException)
        {
            // The connection is gone either way.
        }
        finally
        {
            client.Dispose();
        }
    }
}
