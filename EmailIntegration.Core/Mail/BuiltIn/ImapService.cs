using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>The built-in IMAP service: accepts connections and runs a session for each until it ends.</summary>
public sealed class ImapService(MailStore store, BuiltInMailOptions options, Func<string, string, bool> signIn, ILogger logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var listener = new TcpListener(IPAddress.Parse(options.BindAddress), options.ImapPort);
        listener.Start();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(cancellationToken);
                _ = ServeAsync(client, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        using (var session = new ImapSession(client.GetStream(), store, signIn))
        {
            try
            {
                await session.RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away.
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A built-in IMAP session failed");
            }
        }
    }
}
