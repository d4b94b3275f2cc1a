using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// The statements of features that keep their own SQL (derived values, indexes), and the prepared
/// commands every statement of the session runs as.
/// </summary>
public sealed partial class ObjectSession
{
    /// <summary>
    /// A statement in this session's transaction, prepared once per session. For Core's own SQL only:
    /// identifiers in it come from the schema (checked names), values only from the parameters.
    /// </summary>
    internal async Task<int> ExecuteAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// A statement of Core's own SQL that runs just before the commit, after those deferred before it,
    /// rather than now; a rollback to a savepoint drops those deferred since. For writes that grow costly
    /// under savepoints: FTS5 writes what it has pending to disk at every savepoint, so an index row
    /// written inside the import's savepoint per message would cost a segment per message. Only for
    /// statements that cannot fail on one row's values: one that fails at the commit fails the whole transaction.
    /// </summary>
    internal void ExecuteAtCommit(string sql, IReadOnlyList<(string Name, object? Value)> parameters) => deferred.Add((sql, parameters));

    /// <summary>The rows of a statement of Core's own SQL, each as its column values.</summary>
    internal async Task<List<object?[]>> ReadAsync(string sql, IReadOnlyList<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        var command = Command(sql);
        foreach (var (name, value) in parameters)
        {
            AddParameter(command, name, value);
        }

        var rows = new List<object?[]>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The session's command for this statement text, its parameters cleared for binding.</summary>
    private DbCommand Command(string sql)
    {
        if (commands.TryGetValue(sql, out var command))
        {
            command.Parameters.Clear();
            return command;
        }

        // A session running many shapes (an admin's ad-hoc queries) starts over rather than keep them all.
        if (commands.Count >= MaxCommands)
        {
            foreach (var old in commands.Values)
            {
                old.Dispose();
            }

            commands.Clear();
        }

        command = NewCommand();
        command.CommandText = sql;
        commands[sql] = command;
        return command;
    }

    private const int MaxCommands = 64;

    private static string ParameterName(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);

    private DbCommand NewCommand()
    {
        var connection = db.Database.GetDbConnection();
        var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
