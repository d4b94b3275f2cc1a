using System.Text.Json;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Settings;

/// <summary>
/// Refuses removing a property the saved runtime configuration names: the configuration is checked
/// against the schema as it would be without the property, and any new error names where it is used.
/// </summary>
public sealed class RuntimeConfigurationDependency : ISchemaDependency
{
    public async Task<string?> BlockingUseAsync(AppDbContext db, CrmSchema schema, string limetype, string propertyName, CancellationToken cancellationToken)
    {
        var json = await db.Set<SettingsDocument>().Where(d => d.Name == SettingsStore.Runtime).Select(d => d.Json).FirstOrDefaultAsync(cancellationToken);
        var configuration = json is null
            ? new RuntimeConfiguration()
            : JsonSerializer.Deserialize<RuntimeConfiguration>(json, RuntimeConfiguration.JsonOptions)!;
        var accounts = (await db.Set<MailAccount>().Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();

        var without = schema.Without(limetype, propertyName);

        var before = RuntimeConfigurationValidator.Validate(configuration, schema, accounts).Select(e => e.Path).ToHashSet();
        var after = RuntimeConfigurationValidator.Validate(configuration, without, accounts).Where(e => !before.Contains(e.Path)).ToList();
        return after.Count == 0 ? null : $"the runtime configuration ({string.Join(", ", after.Select(e => e.Path))})";
    }
}
