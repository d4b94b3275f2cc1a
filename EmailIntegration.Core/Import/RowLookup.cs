using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;

namespace EmailIntegration.Core.Import;

/// <summary>Rows found by one text property for many values at once, one query instead of one per value.</summary>
internal static class RowLookup
{
    /// <summary>
    /// The rows whose text property equals any of the values (as the column compares them:
    /// case-insensitively), grouped by that value in the query's order, optionally within a further filter.
    /// </summary>
    public static async Task<Dictionary<string, List<LimeRow>>> FindAsync(
        ObjectSession session, string limetype, string property, IEnumerable<string> values, IReadOnlyList<OrderBy> order,
        JsonObject? within, CancellationToken cancellationToken)
    {
        const int limit = 10_000;
        var list = values.ToList();
        var byValue = new Dictionary<string, List<LimeRow>>(TextKey.Comparer);
        JsonNode filter = within is null ? Filter.In(property, list) : Filter.And(within, Filter.In(property, list));
        var rows = await session.QueryAsync(new LimeQuery(limetype) { Filter = filter, Order = order, Limit = limit },
            QueryContext.Anonymous, cancellationToken);
        if (rows.Count == limit)
        {
            // Too many to take in one page: the first few per value, one value at a time.
            var each = new List<LimeRow>();
            foreach (var value in list)
            {
                var single = within is null ? Filter.Eq(property, value) : Filter.And(within, Filter.Eq(property, value));
                each.AddRange(await session.QueryAsync(new LimeQuery(limetype) { Filter = single, Order = order, Limit = 2 },
                    QueryContext.Anonymous, cancellationToken));
            }

            rows = each;
        }

        foreach (var row in rows)
        {
            if (row[property] is string key)
            {
                if (!byValue.TryGetValue(key, out var group))
                {
                    byValue[key] = group = [];
                }

                group.Add(row);
            }
        }

        return byValue;
    }
}
