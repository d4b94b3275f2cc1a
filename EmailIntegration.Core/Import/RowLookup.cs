using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Import;

/// <summary>Rows found by one text property for many values at once, one query instead of one per value.</summary>
internal static class RowLookup
{
    /// case-insensitively), grouped by that value in the query's order, optionally within a further filter.
    /// </summary>
    public static async Task<Dictionary<string, List<IReadOnlyDictionary<string, object?>>>> FindAsync(
        ObjectSession session, string limetype, string property, IEnumerable<string> values, IReadOnlyList<Crm.Query.OrderBy> order,
        System.Text.Json.Nodes.JsonObject? within, CancellationToken cancellationToken)
    {
        const int limit = 10_000;
        var list = values.ToList();
        var byValue = new Dictionary<string, List<IReadOnlyDictionary<string, object?>>>(TextKey.Comparer);
        System.Text.Json.Nodes.JsonNode filter = new System.Text.Json.Nodes.JsonObject
        {
            ["key"] = property,
            ["op"] = "IN",
            ["exp"] = new System.Text.Json.Nodes.JsonArray(list.Select(v => (System.Text.Json.Nodes.JsonNode?)System.Text.Json.Nodes.JsonValue.Create(v)).ToArray()),
        };
        if (within is not null)
        {
            filter = new System.Text.Json.Nodes.JsonObject { ["op"] = "AND", ["exp"] = new System.Text.Json.Nodes.JsonArray(within.DeepClone(), filter) };
        }

        var rows = await session.QueryAsync(new Crm.Query.LimeQuery(limetype) { Filter = filter, Order = order, Limit = limit },
            Crm.Query.QueryContext.Anonymous, cancellationToken);
        if (rows.Count == limit)
        {
            // Too many to take in one page: the first few per value, one value at a time.
            var each = new List<IReadOnlyDictionary<string, object?>>();
            foreach (var value in list)
            {
                System.Text.Json.Nodes.JsonNode single = new System.Text.Json.Nodes.JsonObject { ["key"] = property, ["op"] = "=", ["exp"] = value };
                if (within is not null)
                {
                    single = new System.Text.Json.Nodes.JsonObject { ["op"] = "AND", ["exp"] = new System.Text.Json.Nodes.JsonArray(within.DeepClone(), single) };
                }

                each.AddRange(await session.QueryAsync(new Crm.Query.LimeQuery(limetype) { Filter = single, Order = order, Limit = 2 },
                    Crm.Query.QueryContext.Anonymous, cancellationToken));
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
