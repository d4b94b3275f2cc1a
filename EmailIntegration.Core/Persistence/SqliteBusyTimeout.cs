using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace EmailIntegration.Core.Persistence;

/// <summary>
/// Lets SQLite itself wait for a lock held by another writer, in steps of a few milliseconds at first,
/// rather than fail at once and leave it to the provider, which retries 150 ms apart. The writers that
/// go through an object session queue before that (see <c>ObjectStore.OpenAsync</c>); this is for the rest.
/// </summary>
public sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA busy_timeout = 5000;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
