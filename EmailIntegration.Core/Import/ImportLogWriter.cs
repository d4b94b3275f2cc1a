using System.Data.Common;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Writes a batch's rows (log entries, notification events) in the batch's transaction with one
/// prepared INSERT, bound per row. The table, columns and value conversions come from the EF model,
/// so a row reads back exactly as if SaveChanges had written it, without change tracking for rows
/// nobody reads back here.
/// </summary>
internal static class ImportLogWriter
{
    public static async Task WriteAsync<T>(AppDbContext db, IReadOnlyList<T> entries, CancellationToken cancellationToken)
        where T : class
    {
        if (entries.Count == 0)
        {
            return;
        }

        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties()
            .Where(p => p.ValueGenerated == ValueGenerated.Never)
            .Select((p, i) => (Property: p, Column: p.GetColumnName(table)!, Parameter: "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText =
            $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column)))}) " +
            $"VALUES ({string.Join(", ", columns.Select(c => c.Parameter))})";
        foreach (var entry in entries)
        {
            command.Parameters.Clear();
            foreach (var (property, _, parameter) in columns)
            {
                AddParameter(command, property, parameter, property.GetGetter().GetClrValueUsingContainingEntity(entry));
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void AddParameter(DbCommand command, IProperty property, string name, object? value) =>
        command.Parameters.Add(((RelationalTypeMapping)property.GetTypeMapping()).CreateParameter(command, name, value, property.IsNullable));
}
