using System.Runtime.CompilerServices;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Persons and coworkers found by address, for one transaction. The import never writes them, and a
/// transaction reads one snapshot of the database plus its own writes, so asking again for the same
/// address would return the same rows; a batch's senders and colleagues repeat often.
/// </summary>
internal sealed class FollowerParentCache
{
    // One per session, gone with it: the handler is called per message and sees only the session.
    private static readonly ConditionalWeakTable<ObjectSession, FollowerParentCache> BySession = new();

    private readonly Dictionary<(string Limetype, string Address), List<LimeRow>> known = new(KeyComparer.Instance);

    public static FollowerParentCache Of(ObjectSession session) => BySession.GetValue(session, _ => new FollowerParentCache());

    /// <summary>
    /// The records of this parent type that match each address, most recently updated first (those
    /// without any left out); only the addresses not asked for before in this transaction are looked up.
    /// </summary>
    public async Task<Dictionary<string, List<LimeRow>>> MatchesAsync(
        ObjectSession session, FollowerParentConfig parent, IReadOnlyList<string> addresses, CancellationToken cancellationToken)
    {
        var unknown = addresses.Where(a => !known.ContainsKey((parent.Limetype, a))).ToList();
        if (unknown.Count > 0)
        {
            var found = await RowLookup.FindAsync(session, parent.Limetype, parent.PropertyAddress, unknown,
                [new Crm.Query.OrderBy(CrmSchema.UpdatedKey, Descending: true)], null, cancellationToken);
            foreach (var address in unknown)
            {
                known[(parent.Limetype, address)] = found.GetValueOrDefault(address) ?? [];
            }
        }

        var matches = new Dictionary<string, List<LimeRow>>(TextKey.Comparer);
        foreach (var address in addresses)
        {
            if (known[(parent.Limetype, address)] is { Count: > 0 } rows)
            {
                matches[address] = rows;
            }
        }

        return matches;
    }

    /// <summary>Addresses compare as the database's column does (<see cref="TextKey"/>); limetype names exactly.</summary>
    private sealed class KeyComparer : IEqualityComparer<(string Limetype, string Address)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((string Limetype, string Address) x, (string Limetype, string Address) y) =>
            string.Equals(x.Limetype, y.Limetype, StringComparison.Ordinal) && TextKey.Comparer.Equals(x.Address, y.Address);

        public int GetHashCode((string Limetype, string Address) key) => HashCode.Combine(StringComparer.Ordinal.GetHashCode(key.Limetype), TextKey.Comparer.GetHashCode(key.Address));
    }
}
