using System.Net;
using System.Net.Sockets;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// A loopback port that forwards to a real server while started and refuses connections while
/// stopped: an outage of that server as the product sees it, without touching the shared stack.
/// </summary>
public sealed class TcpForwarder(string targetHost, int targetPort) : IAsyncDisposable
{
    private readonly List<TcpClient> open = [];
    private TcpListener? listener;
    private CancellationTokenSource? stop;

    public int Port { get; private set; }

    public void Start()
    {
        listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        stop = new CancellationTokenSource();
        _ = AcceptAsync(listener, stop.Token);
    }

    /// <summary>Closes the port and every forwarded connection.</summary>
    public void Stop()
    {
        stop?.Cancel();
        listener?.Stop();
        listener = null;
        lock (open)
        {
            foreach (var client in open)
            {
                client.Dispose();
            }

            open.Clear();
        }
    }

    private async Task AcceptAsync(TcpListener server, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await server.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ForwardAsync(client, cancellationToken);
        }
    }

    private async Task ForwardAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using var target = new TcpClient();
        lock (open)
        {
            open.Add(client);
            open.Add(target);
        }

        try
        {
            await target.ConnectAsync(targetHost, targetPort, cancellationToken);
            var a = client.GetStream();
            var b = target.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cancellationToken), b.CopyToAsync(a, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The outage, or one side hung up.
        }
        finally
        {
            client.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
