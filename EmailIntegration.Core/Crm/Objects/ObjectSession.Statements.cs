using System.Globalization;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>Counting a whole query, and the statements of features that keep their own SQL (derived values, indexes).</summary>
public sealed partial class ObjectSession
{
    /// <summary>How many objects a query matches, its message match included; paging is ignored.</summary>
    public async Task<long> CountAsync(LimeQuery query, QueryContext context, CancellationToken cancellationToken = default)
    {
        var lt = Schema.Find(query.Limetype) ?? throw new QueryException("limetype", $"Unknown limetype '{query.Limetype}'.");
        var translator = new SqlTranslator(Schema, context);
        var where = translator.Where(query, lt);
        await using var command = NewCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {SqlDialect.Quote(lt.Table)} {SqlTranslator.RootAlias} WHERE {where}";
        foreach (var (name, value) in translator.Parameters)
        {
            AddParameter(command, name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

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
}
