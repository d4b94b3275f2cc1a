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

    /// <summary>
    /// Drops a connection right after the client finished an SMTP DATA (the server has the whole
    /// message) and before the server's answer reaches the client. Plain connections only.
    /// </summary>
    public bool CutAfterData { get; set; }

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
            var dataEnded = false;
            var tail = Array.Empty<byte>();
            await Task.WhenAny(
                PumpAsync(a, b, chunk =>
                {
                    // The end of DATA may arrive split over writes: look at the last bytes of the stream.
                    tail = [.. tail, .. chunk.Span[Math.Max(0, chunk.Length - 5)..]];
                    tail = tail[Math.Max(0, tail.Length - 5)..];
                    dataEnded |= CutAfterData && tail.AsSpan().EndsWith("\r\n.\r\n"u8);
                }, () => false, cancellationToken),
                PumpAsync(b, a, _ => { }, () => dataEnded, cancellationToken));
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

    private static async Task PumpAsync(Stream from, Stream to, Action<ReadOnlyMemory<byte>> seen, Func<bool> cut, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (cut())
            {
                return;
            }

            seen(buffer.AsMemory(0, read));
            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
