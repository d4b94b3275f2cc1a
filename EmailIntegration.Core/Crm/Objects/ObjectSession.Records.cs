using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// The application's own records (log entries, notification events, outbox rows, job state) written
/// and read in the session's transaction, so they commit or roll back with the objects they describe.
/// </summary>
public sealed partial class ObjectSession
{
    /// <summary>The records of one kind, to read or update in bulk (<c>ExecuteUpdateAsync</c>) within this transaction.</summary>
    public IQueryable<T> Records<T>()
        where T : class => db.Set<T>();

    /// <summary>Saves new records in this transaction; their generated ids are set when it returns.</summary>
    public async Task AddRecordsAsync(IEnumerable<object> records, CancellationToken cancellationToken = default)
    {
        db.AddRange(records);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Writes many new records with one prepared INSERT, bound per row, for a batch's rows nobody reads
    /// back here (no change tracking). The table, columns and value conversions come from the EF model,
    /// so a row reads back exactly as if SaveChanges had written it.
    /// </summary>
    internal async Task InsertRecordsAsync<T>(IReadOnlyList<T> records, CancellationToken cancellationToken)
        where T : class
    {
        if (records.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties()
            .Where(p => p.ValueGenerated == ValueGenerated.Never)
            .Select((p, i) => (Property: p, Column: p.GetColumnName(table)!, Parameter: "@p" + i.ToString(CultureInfo.InvariantCulture)))
            .ToList();

        await using var command = NewCommand();
        command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter))})";
        foreach (var record in records)
        {
            command.Parameters.Clear();
            foreach (var (property, _, parameter) in columns)
            {
                AddTypedParameter(command, property, parameter, property.GetGetter().GetClrValueUsingContainingEntity(record));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void AddTypedParameter(DbCommand command, IProperty property, string name, object? value) =>
        command.Parameters.Add(((RelationalTypeMapping)property.GetTypeMapping()).CreateParameter(command, name, value, property.IsNullable));
}
