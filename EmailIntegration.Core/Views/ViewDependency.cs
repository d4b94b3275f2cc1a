using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Views;

/// <summary>
/// Refuses removing a property that a stored filter, info tile or table view names: each item is checked
/// against the schema as it would be without the property, and the items that would break are named.
/// </summary>
public sealed class ViewDependency : ISchemaDependency
{
    public async Task<string?> BlockingUseAsync(AppDbContext db, CrmSchema schema, string limetype, string propertyName, CancellationToken cancellationToken)
    {
        var items = await db.Set<ViewItem>().AsNoTracking().ToListAsync(cancellationToken);
        if (items.Count == 0)
        {
            return null;
        }

        var without = schema.Without(limetype, propertyName);
        var filters = items.Where(i => i.Kind == ViewKind.Filter).ToDictionary(i => i.ItemId, i => i.Limetype, StringComparer.Ordinal);
        var users = items
            .Where(i => ViewItemValidator.Validate(i.Kind, ViewConfigurationService.Parse(i), "", schema, filters).Item is not null
                && ViewItemValidator.Validate(i.Kind, ViewConfigurationService.Parse(i), "", without, filters).Item is null)
            .Select(i => $"{i.Kind.Label()} '{i.ItemId}'")
            .ToList();
        return users.Count == 0 ? null : string.Join(", ", users);
    }
}
