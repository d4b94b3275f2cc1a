using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// One client connection to the built-in IMAP service: the part of IMAP4rev1 (with IDLE, UIDPLUS, MOVE and
/// NAMESPACE) that mail clients and this product's import use: sign in, select, search unseen, fetch by UID
/// (whole or in ranges, \Seen left alone by PEEK), store flags, move, list and create folders, wait in IDLE.
/// </summary>
internal sealed partial class ImapSession(Stream stream, MailStore store, Func<string, string, bool> signIn) : IDisposable
{
    public const string Capabilities = "IMAP4rev1 AUTH=PLAIN SASL-IR IDLE UIDPLUS MOVE NAMESPACE LITERAL+";

    private readonly ImapConnection connection = new(stream);
    private readonly SemaphoreSlim changed = new(0, int.MaxValue);
    private string? user;
    private string? selected;
    private bool readOnly;
    private List<uint> sequence = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        store.Changed += OnChanged;
        try
        {
            await connection.WriteLineAsync($"* OK [CAPABILITY {Capabilities}] Email Integration built-in mailbox ready", cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                var line = await connection.ReadCommandAsync(cancellationToken);
                if (line is null)
                {
                    return;
                }

                var parts = Tokens(line);
                if (parts.Count < 2)
                {
                    await connection.WriteLineAsync("* BAD Expected a tag and a command", cancellationToken);
                    continue;
                }

                if (!await HandleAsync(parts[0], parts[1].ToUpperInvariant(), parts.Skip(2).ToList(), cancellationToken))
                {
                    return;
                }
            }
        }
        finally
        {
            store.Changed -= OnChanged;
        }
    }

    public void Dispose() => changed.Dispose();

    private void OnChanged(string address)
    {
        if (address != user)
        {
            return;
        }

        try
        {
            changed.Release();
        }
        catch (ObjectDisposedException)
        {
            // The connection closed while the store told it about a change.
        }
    }

    /// <summary>Runs one command; false ends the connection.</summary>
    private async Task<bool> HandleAsync(string tag, string command, List<string> args, CancellationToken ct)
    {
        switch (command)
        {
            case "CAPABILITY":
                await connection.WriteLineAsync($"* CAPABILITY {Capabilities}", ct);
                return await OkAsync(tag, "CAPABILITY completed", ct);
            case "NOOP":
            case "CHECK":
                await SyncAsync(ct);
                return await OkAsync(tag, $"{command} completed", ct);
            case "LOGOUT":
                await connection.WriteLineAsync("* BYE Logging out", ct);
                await OkAsync(tag, "LOGOUT completed", ct);
                return false;
            case "LOGIN" when args.Count == 2:
                return await SignInAsync(tag, args[0], args[1], ct);
            case "AUTHENTICATE" when args.Count >= 1:
                return await AuthenticateAsync(tag, args, ct);
        }

        if (user is null)
        {
            return await NoAsync(tag, "Sign in first", ct);
        }

        switch (command)
        {
            case "NAMESPACE":
                await connection.WriteLineAsync("* NAMESPACE ((\"\" \"/\")) NIL NIL", ct);
                return await OkAsync(tag, "NAMESPACE completed", ct);
            case "LIST" or "LSUB" when args.Count == 2:
                return await ListAsync(tag, command, args[0], args[1], ct);
            case "CREATE" when args.Count == 1:
                await store.CreateFolderAsync(user, args[0], ct);
                return await OkAsync(tag, "CREATE completed", ct);
            case "SUBSCRIBE" or "UNSUBSCRIBE":
                return await OkAsync(tag, $"{command} completed", ct);
            case "STATUS" when args.Count == 2:
                return await StatusAsync(tag, args[0], ct);
            case "SELECT" or "EXAMINE" when args.Count >= 1:
                return await SelectAsync(tag, args[0], command == "EXAMINE", ct);
            case "CLOSE" or "UNSELECT":
                selected = null;
                sequence = [];
                return await OkAsync(tag, $"{command} completed", ct);
            case "IDLE":
                return await IdleAsync(tag, ct);
        }

        if (selected is null)
        {
            return await NoAsync(tag, "Select a folder first", ct);
        }

        return command switch
        {
            "UID" when args.Count >= 2 => await UidAsync(tag, args[0].ToUpperInvariant(), args.Skip(1).ToList(), ct),
            "EXPUNGE" => await OkAsync(tag, "EXPUNGE completed", ct),
            _ => await BadAsync(tag, $"{command} is not supported here", ct),
        };
    }

    private async Task<bool> SignInAsync(string tag, string name, string password, CancellationToken ct)
    {
        if (!signIn(name, password))
        {
            return await NoAsync(tag, "[AUTHENTICATIONFAILED] Wrong address or password", ct);
        }

        user = MailStore.Normalize(name);
        return await OkAsync(tag, $"[CAPABILITY {Capabilities}] Signed in", ct);
    }

    private async Task<bool> AuthenticateAsync(string tag, List<string> args, CancellationToken ct)
    {
        if (!string.Equals(args[0], "PLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return await NoAsync(tag, "Only PLAIN is offered", ct);
        }

        var response = args.Count > 1 ? args[1] : null;
        if (response is null)
        {
            await connection.WriteLineAsync("+ ", ct);
            response = (await connection.ReadLineAsync(ct))?.Trim();
        }

        try
        {
            // PLAIN: authorization id, NUL, user, NUL, password.
            var fields = Encoding.UTF8.GetString(Convert.FromBase64String(response ?? "")).Split('\0');
            return fields.Length == 3 ? await SignInAsync(tag, fields[1], fields[2], ct) : await BadAsync(tag, "Malformed PLAIN response", ct);
        }
        catch (FormatException)
        {
            return await BadAsync(tag, "The PLAIN response is not base64", ct);
        }
    }

    private async Task<bool> ListAsync(string tag, string command, string reference, string pattern, CancellationToken ct)
    {
        if (pattern.Length == 0)
        {
            await connection.WriteLineAsync($"* {command} (\\Noselect) \"/\" \"\"", ct);
            return await OkAsync(tag, $"{command} completed", ct);
        }

        var wanted = new Regex("^" + Regex.Escape(reference + pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("%", "[^/]*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        foreach (var folder in await store.FoldersAsync(user!, ct))
        {
            if (wanted.IsMatch(folder))
            {
                await connection.WriteLineAsync($"* {command} (\\HasNoChildren) \"/\" {Quote(folder)}", ct);
            }
        }

        return await OkAsync(tag, $"{command} completed", ct);
    }

    private async Task<bool> StatusAsync(string tag, string name, CancellationToken ct)
    {
        if (await store.FolderAsync(user!, name, ct) is not { } folder)
        {
            return await NoAsync(tag, $"[NONEXISTENT] No folder {name}", ct);
        }

        await connection.WriteLineAsync(
            $"* STATUS {Quote(folder.Name)} (MESSAGES {folder.Messages.Count} UNSEEN {folder.Messages.Count(m => !m.Seen)} UIDNEXT {folder.UidNext} UIDVALIDITY {folder.UidValidity})", ct);
        return await OkAsync(tag, "STATUS completed", ct);
    }

    private async Task<bool> SelectAsync(string tag, string name, bool examine, CancellationToken ct)
    {
        if (await store.FolderAsync(user!, name, ct) is not { } folder)
        {
            selected = null;
            return await NoAsync(tag, $"[NONEXISTENT] No folder {name}", ct);
        }

        selected = folder.Name;
        readOnly = examine;
        sequence = folder.Messages.Select(m => m.Uid).ToList();
        await connection.WriteLineAsync("* FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)", ct);
        await connection.WriteLineAsync("* OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft)] Flags are kept", ct);
        await connection.WriteLineAsync($"* {sequence.Count} EXISTS", ct);
        await connection.WriteLineAsync("* 0 RECENT", ct);
        await connection.WriteLineAsync($"* OK [UIDVALIDITY {folder.UidValidity}] UIDs valid", ct);
        await connection.WriteLineAsync($"* OK [UIDNEXT {folder.UidNext}] Predicted next UID", ct);
        return await OkAsync(tag, $"[{(examine ? "READ-ONLY" : "READ-WRITE")}] {(examine ? "EXAMINE" : "SELECT")} completed", ct);
    }

    private async Task<bool> IdleAsync(string tag, CancellationToken ct)
    {
        await connection.WriteLineAsync("+ idling", ct);
        await SyncAsync(ct);
        var done = connection.ReadLineAsync(ct);
        while (true)
        {
            var wake = changed.WaitAsync(ct);
            if (await Task.WhenAny(done, wake) == done)
            {
                var line = await done;
                if (line is null)
                {
                    return false;
                }

                // Whatever the client says, the IDLE ends (anything but DONE is an error by the protocol).
                return string.Equals(line.Trim(), "DONE", StringComparison.OrdinalIgnoreCase)
                    ? await OkAsync(tag, "IDLE terminated", ct)
                    : await BadAsync(tag, "Expected DONE", ct);
            }

            await SyncAsync(ct);
        }
    }

    /// <summary>Tells the client what changed in the selected folder since it last heard: removed messages, then new ones.</summary>
    private async Task SyncAsync(CancellationToken ct)
    {
        while (changed.CurrentCount > 0)
        {
            await changed.WaitAsync(ct);
        }

        if (selected is null || await store.FolderAsync(user!, selected, ct) is not { } folder)
        {
            return;
        }

        var now = folder.Messages.Select(m => m.Uid).ToHashSet();
        for (var i = sequence.Count - 1; i >= 0; i--)
        {
            if (!now.Contains(sequence[i]))
            {
                sequence.RemoveAt(i);
                await connection.WriteLineAsync($"* {i + 1} EXPUNGE", ct);
            }
        }

        var known = sequence.ToHashSet();
        var added = folder.Messages.Where(m => !known.Contains(m.Uid)).Select(m => m.Uid).ToList();
        if (added.Count > 0)
        {
            sequence.AddRange(added);
            await connection.WriteLineAsync($"* {sequence.Count} EXISTS", ct);
        }
    }

    private Task<bool> OkAsync(string tag, string text, CancellationToken ct) => ReplyAsync(tag, "OK", text, ct);

    private Task<bool> NoAsync(string tag, string text, CancellationToken ct) => ReplyAsync(tag, "NO", text, ct);

    private Task<bool> BadAsync(string tag, string text, CancellationToken ct) => ReplyAsync(tag, "BAD", text, ct);

    private async Task<bool> ReplyAsync(string tag, string status, string text, CancellationToken ct)
    {
        await connection.WriteLineAsync($"{tag} {status} {text}", ct);
        return true;
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>Splits a command line into atoms, quoted strings (unquoted) and parenthesized or bracketed groups (kept whole).</summary>
    internal static List<string> Tokens(string line)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < line.Length)
        {
            if (line[i] == ' ')
            {
                i++;
                continue;
            }

            if (line[i] == '"')
            {
                var text = new StringBuilder();
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    text.Append(line[i] == '\\' && i + 1 < line.Length ? line[++i] : line[i]);
                }

                tokens.Add(text.ToString());
                i++;
                continue;
            }

            var start = i;
            var depth = 0;
            for (; i < line.Length && (depth > 0 || line[i] != ' '); i++)
            {
                depth += line[i] is '(' or '[' ? 1 : line[i] is ')' or ']' ? -1 : 0;
            }

            tokens.Add(line[start..i]);
        }

        return tokens;
    }

    private static string InternalDate(DateTimeOffset date) =>
        "\"" + date.ToUniversalTime().ToString("dd-MMM-yyyy HH:mm:ss", CultureInfo.InvariantCulture) + " +0000\"";
}
