using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EmailIntegration.Core.Persistence;

/// <summary>
/// What every connection to the database sets when it opens:
/// <list type="bullet">
/// <item>SQLite itself waits for a lock held by another writer, in steps of a few milliseconds at first,
/// rather than failing at once and leaving it to the provider, which retries 150 ms apart. The writers
/// that go through an object session queue before that (see <c>ObjectStore.OpenAsync</c>); this is for the rest.</item>
/// <item>Temporary data stays in memory: the import's savepoint per message keeps a journal of the pages
/// it changes, which would otherwise go to a temporary file on disk for every message (about a fifth of
/// the import's time went there).</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionPragmas : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
