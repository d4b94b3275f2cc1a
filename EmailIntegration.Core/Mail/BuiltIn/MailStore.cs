using System.Globalization;
using EmailIntegration.Core.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The built-in mailboxes: every address's folders and messages, in a SQLite file of its own beside the
/// App's database, each message's bytes in a file. A delivery, a flag change or a move is durable when
/// the call returns, so an import that marks a message seen after its commit is exactly once here too.
/// </summary>
public sealed class MailStore : IDisposable
{
    public const string Inbox = "INBOX";
    public const string SeenFlag = "\\Seen";

    private readonly string folder;
    private readonly string connectionString;
    private readonly TimeProvider clock;
    // One writer at a time: SQLite takes one anyway, and this keeps UID assignment simple.
    private readonly SemaphoreSlim writer = new(1, 1);
    private bool created;

    public MailStore(DataFolderOptions dataFolder, TimeProvider clock)
    {
        folder = Path.Combine(dataFolder.FullDataPath, "mailstore");
        connectionString = $"Data Source={Path.Combine(folder, "mailstore.db")};Pooling=True";
        this.clock = clock;
    }

    /// <summary>Raised with the address whose mailbox changed (a delivery, a flag, a move).</summary>
    public event Action<string>? Changed;

    public static string Normalize(string address) => address.Trim().ToLowerInvariant();

    /// <summary>Stores a message in the address's INBOX; returns its UID there.</summary>
    public async Task<uint> DeliverAsync(string address, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        address = Normalize(address);
        await EnsureCreatedAsync(cancellationToken);
        var file = $"{Guid.NewGuid():N}.eml";
        var path = Path.Combine(folder, "files", file);
        await using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.WriteThrough))
        {
            await stream.WriteAsync(raw, cancellationToken);
        }

        uint uid;
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            uid = await TakeUidAsync(connection, transaction, address, Inbox, cancellationToken);
            await ExecuteAsync(connection, transaction,
                "INSERT INTO messages (address, folder, uid, flags, size, received, file) VALUES ($a, $f, $u, '', $s, $r, $file)",
                [("$a", address), ("$f", Inbox), ("$u", (long)uid), ("$s", (long)raw.Length), ("$r", clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)), ("$file", file)], cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            writer.Release();
        }

        Changed?.Invoke(address);
        return uid;
    }

    /// <summary>Every address that has a mailbox here, in order.</summary>
    public async Task<IReadOnlyList<string>> AddressesAsync(CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return await ReadAsync(connection, null, "SELECT DISTINCT address FROM folders ORDER BY address", r => r.GetString(0), [], cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FoldersAsync(string address, CancellationToken cancellationToken = default)
    {
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var names = await ReadAsync(connection, null, "SELECT name FROM folders WHERE address = $a ORDER BY name", r => r.GetString(0), [("$a", Normalize(address))], cancellationToken);
        return names.Contains(Inbox) ? names : [Inbox, .. names];
    }

    /// <summary>A folder as it is now; an address never written to has an empty INBOX.</summary>
    public async Task<StoredFolder?> FolderAsync(string address, string name, CancellationToken cancellationToken = default)
    {
        address = Normalize(address);
        name = FolderName(name);
        await EnsureCreatedAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var identity = await ReadAsync(connection, null, "SELECT uidvalidity, uidnext FROM folders WHERE address = $a AND name = $n", r => ((uint)r.GetInt64(0), (uint)r.GetInt64(1)), [("$a", address), ("$n", name)], cancellationToken);
        if (identity.Count == 0)
        {
            return name == Inbox ? new StoredFolder(Inbox, 1, 1, []) : null;
        }

        var messages = await ReadAsync(connection, null, "SELECT uid, flags, size, received, file FROM messages WHERE address = $a AND folder = $n ORDER BY uid",
            r => new StoredMessage((uint)r.GetInt64(0), r.GetString(1).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase),
                r.GetInt64(2), DateTimeOffset.Parse(r.GetString(3), CultureInfo.InvariantCulture), r.GetString(4)),
            [("$a", address), ("$n", name)], cancellationToken);
        return new StoredFolder(name, identity[0].Item1, identity[0].Item2, messages);
    }

    public Stream OpenMessage(StoredMessage message) =>
        new FileStream(Path.Combine(folder, "files", message.File), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);

    public async Task CreateFolderAsync(string address, string name, CancellationToken cancellationToken = default)
    {
        address = Normalize(address);
        await EnsureCreatedAsync(cancellationToken);
        await WriteAsync(async (connection, transaction) => await EnsureFolderAsync(connection, transaction, address, FolderName(name), cancellationToken), address, cancellationToken);
    }

    /// <summary>Adds or removes flags on messages of a folder.</summary>
    public async Task SetFlagsAsync(string address, string folderName, IReadOnlyCollection<uint> uids, IReadOnlyCollection<string> flags, bool add, CancellationToken cancellationToken = default)
    {
        address = Normalize(address);
        var current = await FolderAsync(address, folderName, cancellationToken);
        if (current is null || uids.Count == 0)
        {
            return;
        }

        await WriteAsync(async (connection, transaction) =>
        {
            foreach (var message in current.Messages.Where(m => uids.Contains(m.Uid)))
            {
                var changed = new HashSet<string>(message.Flags, StringComparer.OrdinalIgnoreCase);
                if (add)
                {
                    changed.UnionWith(flags);
                }
                else
                {
                    changed.ExceptWith(flags);
                }

                await ExecuteAsync(connection, transaction, "UPDATE messages SET flags = $fl WHERE address = $a AND folder = $f AND uid = $u", [("$fl", string.Join(' ', changed.Order(StringComparer.Ordinal))), ("$a", address), ("$f", current.Name), ("$u", (long)message.Uid)], cancellationToken);
            }
        }, address, cancellationToken);
    }

    /// <summary>Moves messages to another folder (made when missing); returns each one's old and new UID.</summary>
    public async Task<IReadOnlyList<(uint From, uint To)>> MoveAsync(string address, string folderName, IReadOnlyCollection<uint> uids, string target, CancellationToken cancellationToken = default)
    {
        address = Normalize(address);
        folderName = FolderName(folderName);
        target = FolderName(target);
        var moved = new List<(uint, uint)>();
        await WriteAsync(async (connection, transaction) =>
        {
            await EnsureFolderAsync(connection, transaction, address, target, cancellationToken);
            foreach (var uid in uids.Order())
            {
                var next = await TakeUidAsync(connection, transaction, address, target, cancellationToken);
                var rows = await ExecuteAsync(connection, transaction, "UPDATE messages SET folder = $t, uid = $n WHERE address = $a AND folder = $f AND uid = $u", [("$t", target), ("$n", (long)next), ("$a", address), ("$f", folderName), ("$u", (long)uid)], cancellationToken);
                if (rows > 0)
                {
                    moved.Add((uid, next));
                }
            }
        }, address, cancellationToken);
        return moved;
    }

    public void Dispose() => writer.Dispose();

    /// <summary>INBOX is one folder whatever its case, as IMAP says.</summary>
    private static string FolderName(string name) => string.Equals(name, Inbox, StringComparison.OrdinalIgnoreCase) ? Inbox : name;

    private async Task WriteAsync(Func<SqliteConnection, SqliteTransaction, Task> write, string address, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken);
        await writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await write(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            writer.Release();
        }

        Changed?.Invoke(address);
    }

    private async Task<uint> TakeUidAsync(SqliteConnection connection, SqliteTransaction transaction, string address, string name, CancellationToken cancellationToken)
    {
        await EnsureFolderAsync(connection, transaction, address, name, cancellationToken);
        var next = await ReadAsync(connection, transaction, "UPDATE folders SET uidnext = uidnext + 1 WHERE address = $a AND name = $n RETURNING uidnext - 1", r => (uint)r.GetInt64(0), [("$a", address), ("$n", name)], cancellationToken);
        return next[0];
    }

    private async Task EnsureFolderAsync(SqliteConnection connection, SqliteTransaction transaction, string address, string name, CancellationToken cancellationToken) =>
        // A folder made anew gets a UIDVALIDITY of its own (seconds since 2000), so a client never mixes up two.
        await ExecuteAsync(connection, transaction, "INSERT OR IGNORE INTO folders (address, name, uidvalidity, uidnext) VALUES ($a, $n, $v, 1)", [("$a", address), ("$n", name), ("$v", Math.Max(1, clock.GetUtcNow().ToUnixTimeSeconds() - 946_684_800))], cancellationToken);

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (created)
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(folder, "files"));
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS folders (address TEXT NOT NULL, name TEXT NOT NULL, uidvalidity INTEGER NOT NULL, uidnext INTEGER NOT NULL, PRIMARY KEY (address, name));
            CREATE TABLE IF NOT EXISTS messages (address TEXT NOT NULL, folder TEXT NOT NULL, uid INTEGER NOT NULL, flags TEXT NOT NULL, size INTEGER NOT NULL,
                received TEXT NOT NULL, file TEXT NOT NULL, PRIMARY KEY (address, folder, uid));
            """, [], cancellationToken);
        created = true;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<T>> ReadAsync<T>(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, Func<SqliteDataReader, T> read, (string Name, object Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
