using System.Collections;
using System.Diagnostics.CodeAnalysis;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm.Objects;

/// <summary>
/// One row of a query: the object's values by key (its system values, properties, extra columns and
/// aggregates), read like a dictionary, and its <see cref="Id"/>, which every row has.
/// </summary>
[SuppressMessage("Naming", "CA1710", Justification = "A query's row reads like a dictionary, but it is a row.")]
public sealed class LimeRow(IReadOnlyDictionary<string, object?> values) : IReadOnlyDictionary<string, object?>
{
    /// <summary>The object's id; the store always selects it, as a number.</summary>
    public long Id => (long)values[CrmSchema.IdKey]!;

    public object? this[string key] => values[key];

    public IEnumerable<string> Keys => values.Keys;

    public IEnumerable<object?> Values => values.Values;

    public int Count => values.Count;

    public bool ContainsKey(string key) => values.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out object? value) => values.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
