using System.Text;
using System.Text.RegularExpressions;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>The UID commands: SEARCH, FETCH, STORE, MOVE and COPY on the selected folder.</summary>
internal sealed partial class ImapSession
{
    private async Task<bool> UidAsync(string tag, string command, List<string> args, CancellationToken ct)
    {
        var folder = await store.FolderAsync(user!, selected!, ct);
        if (folder is null)
        {
            return await NoAsync(tag, "The folder is gone", ct);
        }

        switch (command)
        {
            case "SEARCH":
                var criteria = string.Join(' ', args).ToUpperInvariant();
                var found = folder.Messages.Where(m =>
                    criteria.Contains("UNSEEN", StringComparison.Ordinal) ? !m.Seen
                    : criteria.Contains("SEEN", StringComparison.Ordinal) ? m.Seen
                    : true);
                await connection.WriteLineAsync(("* SEARCH " + string.Join(' ', found.Select(m => m.Uid))).TrimEnd(), ct);
                return await OkAsync(tag, "UID SEARCH completed", ct);
            case "FETCH" when args.Count >= 2:
                foreach (var message in Select(folder, args[0]))
                {
                    await FetchAsync(message, string.Join(' ', args.Skip(1)), ct);
                }

                return await OkAsync(tag, "UID FETCH completed", ct);
            case "STORE" when args.Count >= 3 && !readOnly:
                return await StoreAsync(tag, folder, args, ct);
            case "MOVE" or "COPY" when args.Count == 2 && !readOnly:
                return await MoveAsync(tag, folder, command, args[0], args[1], ct);
            case "EXPUNGE":
                return await OkAsync(tag, "UID EXPUNGE completed", ct);
            default:
                return await BadAsync(tag, readOnly ? "The folder is open read-only" : $"UID {command} is not supported here", ct);
        }
    }

    private async Task FetchAsync(StoredMessage message, string items, CancellationToken ct)
    {
        var seq = sequence.IndexOf(message.Uid) + 1;
        if (seq == 0)
        {
            return;
        }

        var upper = items.ToUpperInvariant();
        var head = new StringBuilder($"* {seq} FETCH (UID {message.Uid}");
        if (upper.Contains("FLAGS", StringComparison.Ordinal))
        {
            head.Append(" FLAGS (").Append(string.Join(' ', message.Flags)).Append(')');
        }

        if (upper.Contains("INTERNALDATE", StringComparison.Ordinal))
        {
            head.Append(" INTERNALDATE ").Append(InternalDate(message.Received));
        }

        if (upper.Contains("RFC822.SIZE", StringComparison.Ordinal))
        {
            head.Append(" RFC822.SIZE ").Append(message.Size);
        }

        var body = BodyRequest().Match(upper);
        if (!body.Success)
        {
            await connection.WriteLineAsync(head.Append(')').ToString(), ct);
            return;
        }

        // BODY[]<offset.count>: a range of the message, as clients fetch large ones.
        long offset = body.Groups["offset"].Success ? long.Parse(body.Groups["offset"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        long count = body.Groups["count"].Success ? long.Parse(body.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture) : long.MaxValue;
        offset = Math.Min(offset, message.Size);
        var length = Math.Min(count, message.Size - offset);
        head.Append(" BODY[]").Append(body.Groups["offset"].Success ? $"<{offset}>" : "").Append(" {").Append(length).Append('}');
        await connection.WriteLineAsync(head.ToString(), ct);
        await using (var file = store.OpenMessage(message))
        {
            file.Seek(offset, SeekOrigin.Begin);
            await connection.CopyAsync(file, length, ct);
        }

        await connection.WriteLineAsync(")", ct);
        if (!body.Groups["peek"].Success && !message.Seen && !readOnly)
        {
            await store.SetFlagsAsync(user!, selected!, [message.Uid], [MailStore.SeenFlag], add: true, ct);
        }
    }

    private async Task<bool> StoreAsync(string tag, StoredFolder folder, List<string> args, CancellationToken ct)
    {
        var operation = args[1].ToUpperInvariant();
        var flags = args[2].Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var messages = Select(folder, args[0]).ToList();
        var uids = messages.Select(m => m.Uid).ToList();
        if (operation.StartsWith("+FLAGS", StringComparison.Ordinal) || operation.StartsWith("-FLAGS", StringComparison.Ordinal))
        {
            await store.SetFlagsAsync(user!, selected!, uids, flags, add: operation[0] == '+', ct);
        }
        else if (operation.StartsWith("FLAGS", StringComparison.Ordinal))
        {
            await store.SetFlagsAsync(user!, selected!, uids, ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft"], add: false, ct);
            await store.SetFlagsAsync(user!, selected!, uids, flags, add: true, ct);
        }
        else
        {
            return await BadAsync(tag, $"Unknown STORE operation {args[1]}", ct);
        }

        if (!operation.EndsWith(".SILENT", StringComparison.Ordinal))
        {
            var now = await store.FolderAsync(user!, selected!, ct);
            foreach (var message in now!.Messages.Where(m => uids.Contains(m.Uid)))
            {
                await FetchAsync(message, "FLAGS", ct);
            }
        }

        return await OkAsync(tag, "UID STORE completed", ct);
    }

    private async Task<bool> MoveAsync(string tag, StoredFolder folder, string command, string set, string target, CancellationToken ct)
    {
        var uids = Select(folder, set).Select(m => m.Uid).ToList();
        if (command == "COPY")
        {
            // Copies are not kept twice here: COPY is answered as done only for the folder itself.
            return string.Equals(target, folder.Name, StringComparison.OrdinalIgnoreCase)
                ? await OkAsync(tag, "UID COPY completed", ct)
                : await NoAsync(tag, "COPY to another folder is not supported; use MOVE", ct);
        }

        var moved = await store.MoveAsync(user!, selected!, uids, target, ct);
        var targetFolder = await store.FolderAsync(user!, target, ct);
        if (moved.Count > 0)
        {
            await connection.WriteLineAsync(
                $"* OK [COPYUID {targetFolder!.UidValidity} {string.Join(',', moved.Select(m => m.From))} {string.Join(',', moved.Select(m => m.To))}] Moved", ct);
        }

        foreach (var (from, _) in moved)
        {
            var index = sequence.IndexOf(from);
            if (index >= 0)
            {
                sequence.RemoveAt(index);
                await connection.WriteLineAsync($"* {index + 1} EXPUNGE", ct);
            }
        }

        return await OkAsync(tag, "UID MOVE completed", ct);
    }

    /// <summary>The messages a UID set names ("1:3,7,9:*"), in UID order.</summary>
    private static IEnumerable<StoredMessage> Select(StoredFolder folder, string set)
    {
        var highest = folder.Messages.Count > 0 ? folder.Messages[^1].Uid : 0;
        var ranges = new List<(uint From, uint To)>();
        foreach (var part in set.Split(','))
        {
            var ends = part.Split(':');
            var from = Parse(ends[0], highest);
            var to = ends.Length > 1 ? Parse(ends[1], highest) : from;
            ranges.Add((Math.Min(from, to), Math.Max(from, to)));
        }

        return folder.Messages.Where(m => ranges.Any(r => m.Uid >= r.From && m.Uid <= r.To));
    }

    private static uint Parse(string value, uint highest) =>
        value == "*" ? highest : uint.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 0;

    [GeneratedRegex(@"BODY(?<peek>\.PEEK)?\[\](?:<(?<offset>\d+)(?:\.(?<count>\d+))?>)?", RegexOptions.CultureInvariant)]
    private static partial Regex BodyRequest();
}
