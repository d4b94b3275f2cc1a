using System.IO.Compression;
using MimeKit;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// The messages of an uploaded file, by position: a single .eml, an mbox (split where MimeKit's
/// mbox parser finds each message, so each is copied out byte for byte) or a zip's .eml entries in
/// the zip's order. Each message is copied to a spool file and read by <see cref="MessageReader"/>,
/// as mail fetched from a mailbox is. Positions are stable, so an import resumes at one.
/// </summary>
public sealed class ArchiveReader : IDisposable
{
    private readonly string path;
    private readonly ArchiveKind kind;
    private readonly string spool;
    private readonly string idPrefix;
    private readonly DateTimeOffset received;
    private readonly IReadOnlyList<(long Begin, long End)> ranges;
    private readonly ZipArchive? zip;
    private readonly IReadOnlyList<ZipArchiveEntry> entries;

    private ArchiveReader(string path, ArchiveKind kind, string spool, string idPrefix, DateTimeOffset received,
        IReadOnlyList<(long, long)> ranges, ZipArchive? zip, IReadOnlyList<ZipArchiveEntry> entries)
    {
        (this.path, this.kind, this.spool, this.idPrefix, this.received, this.ranges, this.zip, this.entries) =
            (path, kind, spool, idPrefix, received, ranges, zip, entries);
    }

    /// <summary>How many messages the archive holds.</summary>
    public int Count => kind switch
    {
        ArchiveKind.Zip => entries.Count,
        ArchiveKind.Mbox => ranges.Count,
        _ => 1,
    };

    /// <summary>Zip entries that are not .eml files, left out.</summary>
    public int Skipped { get; private init; }

    /// <summary>The kind of archive a file name says, or null for one that is none of them.</summary>
    public static ArchiveKind? KindOf(string fileName) => Path.GetExtension(fileName).ToLowerInvariant() switch
    {
        ".eml" => ArchiveKind.Eml,
        ".mbox" or ".mbx" => ArchiveKind.Mbox,
        ".zip" => ArchiveKind.Zip,
        _ => null,
    };

    /// <param name="idPrefix">Each message's <see cref="MailboxMessageRef.ArchiveId"/> is this plus its position.</param>
    /// <param name="received">The date a message without a Date header gets.</param>
    public static async Task<ArchiveReader> OpenAsync(
        string path, ArchiveKind kind, string spool, string idPrefix, DateTimeOffset received, ArchiveLimits limits, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(spool);
        switch (kind)
        {
            case ArchiveKind.Mbox:
                return new ArchiveReader(path, kind, spool, idPrefix, received, await MboxRangesAsync(path, cancellationToken), null, []);
            case ArchiveKind.Zip:
                ZipArchive zip;
                try
                {
                    zip = await ZipArchive.CreateAsync(File.OpenRead(path), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, cancellationToken);
                }
                catch (InvalidDataException ex)
                {
                    throw new ArchiveRefusedException($"The file is not a readable zip archive ({ex.Message.TrimEnd('.')}).");
                }

                try
                {
                    var emls = CheckedEntries(zip, limits);
                    return new ArchiveReader(path, kind, spool, idPrefix, received, [], zip, emls) { Skipped = zip.Entries.Count(e => e.Name.Length > 0) - emls.Count };
                }
                catch
                {
                    zip.Dispose();
                    throw;
                }

            default:
                return new ArchiveReader(path, kind, spool, idPrefix, received, [], null, []);
        }
    }

    /// <summary>The .eml entries, once the zip is known to stay within the limits by what it declares.</summary>
    private static List<ZipArchiveEntry> CheckedEntries(ZipArchive zip, ArchiveLimits limits)
    {
        if (zip.Entries.Count > limits.MaxEntries)
        {
            throw new ArchiveRefusedException($"The zip holds {zip.Entries.Count:N0} entries; at most {limits.MaxEntries:N0} are accepted. Split it into smaller archives.");
        }

        var total = zip.Entries.Sum(e => e.Length);
        if (total > limits.MaxUncompressedBytes)
        {
            throw new ArchiveRefusedException(
                $"The zip unpacks to {total / 1048576.0:N0} MB; at most {limits.MaxUncompressedBytes / 1048576.0:N0} MB are accepted. Split it into smaller archives.");
        }

        return zip.Entries.Where(e => e.Name.Length > 0 && e.Name.EndsWith(".eml", StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Where each message of an mbox begins and ends, as MimeKit's mbox parser finds them (contents are not loaded).</summary>
    private static async Task<List<(long, long)>> MboxRangesAsync(string path, CancellationToken cancellationToken)
    {
        var ranges = new List<(long, long)>();
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        var parser = new MimeParser(stream, MimeFormat.Mbox, persistent: true);
        parser.MimeMessageEnd += (_, e) =>
        {
            // Messages attached inside a message end too; only the mbox's own ones are entries.
            if (e.Parent is null)
            {
                ranges.Add((e.BeginOffset, e.EndOffset));
            }
        };
        try
        {
            while (!parser.IsEndOfStream)
            {
                using var message = await parser.ParseMessageAsync(cancellationToken);
            }
        }
        catch (FormatException ex) when (ranges.Count == 0)
        {
            throw new ArchiveRefusedException($"The file is not an mbox: {ex.Message.TrimEnd('.')}.");
        }
        catch (FormatException)
        {
            // Trailing bytes after the last message that start no new one; the messages before them stand.
        }

        return ranges;
    }

    /// <summary>The name a message has in the archive, for the summary.</summary>
    public string NameOf(int index) => kind switch
    {
        ArchiveKind.Zip => entries[index].FullName,
        ArchiveKind.Mbox => $"message {index + 1}",
        _ => Path.GetFileName(path),
    };

    /// <summary>The message's place: <see cref="MailboxMessageRef.ArchiveId"/> is the prefix and its position from 1.</summary>
    public MailboxMessageRef RefOf(int index, long size = 0) => new(0, (uint)(index + 1), received, size, $"{idPrefix}{index + 1}");

    /// <summary>Copies the message at <paramref name="index"/> to a spool file and reads it.</summary>
    public async Task<ArchiveEntry> ReadAsync(int index, CancellationToken cancellationToken)
    {
        var name = NameOf(index);
        var spoolPath = Path.Combine(spool, $"{Guid.NewGuid():N}.eml");
        try
        {
            await using (var target = new FileStream(spoolPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await CopyOutAsync(index, target, cancellationToken);
            }

            return new ArchiveEntry(index, name, await MessageReader.ReadAsync(spoolPath, RefOf(index, new FileInfo(spoolPath).Length), cancellationToken), null);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArchiveRefusedException)
        {
            File.Delete(spoolPath);
            return new ArchiveEntry(index, name, null, $"The entry {name} could not be read: {ex.Message}");
        }
    }

    private async Task CopyOutAsync(int index, Stream target, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case ArchiveKind.Zip:
                var entry = entries[index];
                await using (var source = await entry.OpenAsync(cancellationToken))
                {
                    // What an entry declares is what it may unpack to: more is a bomb, stopped here.
                    var buffer = new byte[81920];
                    long written = 0;
                    int read;
                    while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                    {
                        written += read;
                        if (written > entry.Length)
                        {
                            throw new ArchiveRefusedException("it unpacks to more bytes than the zip declares");
                        }

                        await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }

                return;
            case ArchiveKind.Mbox:
                var (begin, end) = ranges[index];
                await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous))
                {
                    source.Position = begin;
                    await CopyRangeAsync(source, target, end - begin, cancellationToken);
                }

                return;
            default:
                await using (var source = File.OpenRead(path))
                {
                    await source.CopyToAsync(target, cancellationToken);
                }

                return;
        }
    }

    private static async Task CopyRangeAsync(Stream source, Stream target, long length, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Min(81920, Math.Max(1, length))];
        while (length > 0)
        {
            var read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), cancellationToken);
            if (read == 0)
            {
                break;
            }

            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            length -= read;
        }
    }

    public void Dispose() => zip?.Dispose();
}
