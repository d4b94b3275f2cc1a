using System.Text;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The bytes of one IMAP connection: command lines in (with literals, synchronizing or not, folded into the
/// line as quoted text), response lines and message bytes out.
/// </summary>
internal sealed class ImapConnection(Stream stream)
{
    /// <summary>A command longer than this is refused by closing the connection; no real command comes near it.</summary>
    private const int MaxLine = 64 * 1024;

    private readonly byte[] buffer = new byte[8192];
    private int start;
    private int end;

    public async Task<string?> ReadCommandAsync(CancellationToken ct)
    {
        var line = await ReadLineAsync(ct);
        while (line is not null && LiteralSize(line) is { } literal)
        {
            if (!literal.NonSynchronizing)
            {
                await WriteLineAsync("+ Ready", ct);
            }

            var bytes = await ReadBytesAsync(literal.Size, ct);
            var text = Encoding.UTF8.GetString(bytes);
            var rest = await ReadLineAsync(ct);
            line = line[..literal.Start] + "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"" + rest;
        }

        return line;
    }

    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (start == end && !await FillAsync(ct))
            {
                return null;
            }

            var index = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            var stop = index < 0 ? end : index;
            line.AddRange(buffer.AsSpan(start, stop - start).ToArray());
            start = index < 0 ? end : index + 1;
            if (line.Count > MaxLine)
            {
                return null;
            }

            if (index >= 0)
            {
                return Encoding.UTF8.GetString(line.ToArray()).TrimEnd('\r');
            }
        }
    }

    public async Task WriteLineAsync(string line, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>Copies <paramref name="length"/> bytes of a message onto the connection.</summary>
    public async Task CopyAsync(Stream source, long length, CancellationToken ct)
    {
        var chunk = new byte[81920];
        while (length > 0)
        {
            var read = await source.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length)), ct);
            if (read == 0)
            {
                throw new IOException("The stored message is shorter than its recorded size.");
            }

            await stream.WriteAsync(chunk.AsMemory(0, read), ct);
            length -= read;
        }
    }

    private async Task<byte[]> ReadBytesAsync(int size, CancellationToken ct)
    {
        var bytes = new byte[size];
        var filled = 0;
        while (filled < size)
        {
            if (start == end && !await FillAsync(ct))
            {
                throw new IOException("The connection closed inside a literal.");
            }

            var take = Math.Min(size - filled, end - start);
            Array.Copy(buffer, start, bytes, filled, take);
            start += take;
            filled += take;
        }

        return bytes;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        start = 0;
        end = await stream.ReadAsync(buffer, ct);
        return end > 0;
    }

    /// <summary>A line that ends in {n} or {n+} announces n bytes of literal after it.</summary>
    private static (int Start, int Size, bool NonSynchronizing)? LiteralSize(string line)
    {
        if (!line.EndsWith('}'))
        {
            return null;
        }

        var open = line.LastIndexOf('{');
        var inner = open < 0 ? "" : line[(open + 1)..^1];
        var plus = inner.EndsWith('+');
        return int.TryParse(plus ? inner[..^1] : inner, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size) && size <= MaxLine
            ? (open, size, plus)
            : null;
    }
}
