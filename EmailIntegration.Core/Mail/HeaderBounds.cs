using System.Buffers;
using System.Globalization;
using System.Text;
using MimeKit.Utils;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Measures a raw message's header block before MimeKit parses it, with one linear scan that holds
/// no more than a read buffer. MimeKit's header parser takes time that grows with the square of a
/// header's folded lines (a 10 MB header folded over 100,000 lines took minutes), so a message past
/// these limits is refused unparsed and one mail cannot hold an account's import.
/// </summary>
public static class HeaderBounds
{
    /// <summary>The header block, up to the blank line before the body; real mail stays far below (a long thread's References is a few KB).</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>Continuation lines (starting with a space or tab) in the whole header block.</summary>
    public const int MaxFoldedLines = 2_000;

    private static readonly byte[] SubjectName = "subject:"u8.ToArray();

    private static readonly byte[] FromName = "from:"u8.ToArray();

    /// <summary>Why the message is refused, in words an administrator understands, or null when it is within the limits.</summary>
    internal static async Task<string?> CheckAsync(Stream stream, CancellationToken cancellationToken)
    {
        stream.Position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long bytes = 0;
            var folded = 0;
            var lineStart = true;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellationToken)) > 0)
            {
                for (var i = 0; i < read; i++)
                {
                    var b = buffer[i];
                    if (lineStart)
                    {
                        // A line that is empty (LF, or CR LF) ends the header block.
                        if (b == '\n' || (b == '\r' && (i + 1 < read ? buffer[i + 1] == '\n' : true)))
                        {
                            return Refusal(bytes, folded);
                        }

                        if (b is (byte)' ' or (byte)'\t')
                        {
                            folded++;
                        }
                    }

                    lineStart = b == '\n';
                    bytes++;
                }
            }

            // No body at all: the whole message is its header.
            return Refusal(bytes, folded);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            stream.Position = 0;
        }
    }

    private static string? Refusal(long bytes, int folded)
    {
        const string Why = "it was not parsed, so that this one message cannot hold up the account's import. The raw message is kept here unchanged.";
        if (bytes > MaxBytes)
        {
            return $"The message's header is {Size(bytes)} (the limit is {Size(MaxBytes)}): {Why}";
        }

        return folded > MaxFoldedLines
            ? $"The message's header is folded over {folded.ToString("N0", CultureInfo.InvariantCulture)} lines (the limit is {MaxFoldedLines.ToString("N0", CultureInfo.InvariantCulture)}): {Why}"
            : null;
    }

    /// <summary>The first line of the Subject header among the first bytes, decoded, for the failure record of a refused message.</summary>
    internal static async Task<string> FirstSubjectLineAsync(Stream stream, CancellationToken cancellationToken) =>
        await FirstLineAsync(stream, SubjectName, cancellationToken) is { } line ? Rfc2047.DecodeText(line) : "";

    /// <summary>The sender on the first line of the From header, when it reads as one address; for the failure record of an unreadable message.</summary>
    internal static async Task<MessageAddress?> FirstFromLineAsync(Stream stream, CancellationToken cancellationToken) =>
        await FirstLineAsync(stream, FromName, cancellationToken) is { } line && MimeKit.MailboxAddress.TryParse(line, out var address)
            ? new MessageAddress(address.Address.Trim(), string.IsNullOrWhiteSpace(address.Name) ? null : address.Name.Trim())
            : null;

    private static async Task<byte[]?> FirstLineAsync(Stream stream, byte[] name, CancellationToken cancellationToken)
    {
        stream.Position = 0;
        var head = new byte[(int)Math.Min(stream.Length, 64 * 1024)];
        await stream.ReadExactlyAsync(head, cancellationToken);
        stream.Position = 0;
        for (var start = 0; start < head.Length; start = Array.IndexOf(head, (byte)'\n', start) + 1)
        {
            if (start + name.Length <= head.Length && Ascii.EqualsIgnoreCase(head.AsSpan(start, name.Length), name))
            {
                var from = start + name.Length;
                var end = Array.IndexOf(head, (byte)'\n', from);
                return head.AsSpan(from, (end < 0 ? head.Length : end) - from).TrimEnd("\r"u8).Trim(" \t"u8).ToArray();
            }

            if (Array.IndexOf(head, (byte)'\n', start) < 0 || head[start] is (byte)'\r' or (byte)'\n')
            {
                break;
            }
        }

        return null;
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / 1024d / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " MB"
        : (bytes / 1024d).ToString("0.#", CultureInfo.InvariantCulture) + " KB";
}
