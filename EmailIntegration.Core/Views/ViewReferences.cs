using System.Text.Json.Nodes;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Views;

/// <summary>Which tiles and views name which filters, so none is left pointing at a filter that is gone or on another limetype.</summary>
public static class ViewReferences
{
    /// <summary>The filter ids an item names: a tile's filter, a view's filter chips.</summary>
    public static IEnumerable<string> FiltersNamed(ViewKind kind, JsonObject json) => kind switch
    {
        ViewKind.InfoTile when json["filter"] is JsonValue v && v.TryGetValue<string>(out var id) => [id],
        ViewKind.TableView when json["filters"] is JsonArray chips => chips.OfType<JsonValue>().Select(c => c.TryGetValue<string>(out var s) ? s : "").Where(s => s.Length > 0),
        _ => [],
    };

    /// <summary>The tiles and views that name a filter, in words ("info tile 'helpdesk.unread'").</summary>
    public static IReadOnlyList<string> UsersOf(IEnumerable<ViewItem> items, string filterId) =>
        items.Where(i => FiltersNamed(i.Kind, ViewConfigurationService.Parse(i)).Contains(filterId))
            .Select(i => $"{i.Kind.Label()} '{i.ItemId}'").ToList();

    /// <summary>
    /// The errors a set of changes would cause in items it does not change: a filter moved to another
    /// limetype while a tile or view on the old one still names it. <paramref name="pathOf"/> says where each change came from.
    /// </summary>
    internal static IReadOnlyList<ConfigurationError> Broken(IReadOnlyList<ViewItem> stored, IReadOnlyList<ValidItem> changes, Func<ValidItem, string>? pathOf = null)
    {
        var after = stored.ToDictionary(i => (i.Kind, i.ItemId), i => (i.Limetype, Json: ViewConfigurationService.Parse(i)));
        foreach (var change in changes)
        {
            after[(change.Kind, change.Id)] = (change.Limetype, change.Json);
        }

        var errors = new List<ConfigurationError>();
        foreach (var filter in changes.Where(c => c.Kind == ViewKind.Filter))
        {
            var users = after.Where(a => a.Value.Limetype != filter.Limetype && FiltersNamed(a.Key.Kind, a.Value.Json).Contains(filter.Id))
                .Select(a => $"{a.Key.Kind.Label()} '{a.Key.ItemId}' on {a.Value.Limetype}").ToList();
            if (users.Count > 0)
            {
                var prefix = pathOf?.Invoke(filter) is { Length: > 0 } p ? p + "." : "";
                errors.Add(new(prefix + "limetype",
                    $"{string.Join(", ", users)} use(s) this filter; keep it on their limetype, or change them first."));
            }
        }

        return errors;
    }
}
