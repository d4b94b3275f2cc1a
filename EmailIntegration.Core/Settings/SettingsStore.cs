using System.Text.Json;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Settings;

/// <summary>
/// The runtime, application and server configurations, stored in the database and read fresh on
/// every use, so a change takes effect on the next import without a restart (on every node).
/// </summary>
public sealed class SettingsStore(IDbContextFactory<AppDbContext> dbFactory, SchemaService schema, TimeProvider clock)
{
    public const string Runtime = "runtime";
    public const string Application = "application";
    public const string Server = "server";

    /// <summary>Raised after a save, with the document's name (the scheduler listens for the server one).</summary>
    public event Action<string>? Changed;

    public async Task<RuntimeConfiguration> GetRuntimeAsync(CancellationToken cancellationToken = default)
    {
        var json = await ReadAsync(Runtime, cancellationToken);
        return json is null ? new RuntimeConfiguration() : JsonSerializer.Deserialize<RuntimeConfiguration>(json, RuntimeConfiguration.JsonOptions)!;
    }

    public async Task<string> GetRuntimeJsonAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync(Runtime, cancellationToken) ?? new RuntimeConfiguration().ToJson();

    /// <summary>Validates and saves; an invalid configuration is never saved over the current one.</summary>
    public async Task<IReadOnlyList<ConfigurationError>> SaveRuntimeAsync(string json, string? user, CancellationToken cancellationToken = default)
    {
        var crm = await schema.GetAsync(cancellationToken);
        HashSet<Guid> accounts;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            accounts = (await db.Set<MailAccount>().Select(a => a.Id).ToListAsync(cancellationToken)).ToHashSet();
        }

        var (configuration, errors) = RuntimeConfigurationValidator.Parse(json, crm, accounts);
        if (configuration is null)
        {
            return errors;
        }

        await WriteAsync(Runtime, json, user, cancellationToken);
        return [];
    }

    /// <summary>The accounts whose mail makes no record to hang conversations on: no conversation parent names them.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Address)>> AccountsWithoutParentAsync(CancellationToken cancellationToken = default)
    {
        var configuration = await GetRuntimeAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Set<MailAccount>().OrderBy(a => a.EmailAddress).Select(a => new { a.Id, a.EmailAddress }).ToListAsync(cancellationToken);
        return accounts.Where(a => !configuration.ParentsFor(a.Id).Any()).Select(a => (a.Id, a.EmailAddress)).ToList();
    }

    /// <summary>Adds the account to the guide's helpdesk mapping in the runtime configuration, checked and saved like any edit.</summary>
    public async Task<IReadOnlyList<ConfigurationError>> AddStandardMappingAsync(Guid accountId, string? user, CancellationToken cancellationToken = default)
    {
        string json;
        try
        {
            json = StandardMapping.AddAccount(await GetRuntimeJsonAsync(cancellationToken), accountId);
        }
        catch (JsonException ex)
        {
            return [new ConfigurationError("(root)", $"the stored configuration could not be read ({ex.Message}); fix it on the Runtime configuration tab first.")];
        }

        return await SaveRuntimeAsync(json, user, cancellationToken);
    }

    public async Task<ApplicationConfiguration> GetApplicationAsync(CancellationToken cancellationToken = default) =>
        Deserialize<ApplicationConfiguration>(await ReadAsync(Application, cancellationToken));

    public async Task<ServerConfiguration> GetServerAsync(CancellationToken cancellationToken = default) =>
        Deserialize<ServerConfiguration>(await ReadAsync(Server, cancellationToken));

    public Task SaveApplicationAsync(ApplicationConfiguration value, string? user, CancellationToken cancellationToken = default) =>
        WriteAsync(Application, JsonSerializer.Serialize(value), user, cancellationToken);

    public Task SaveServerAsync(ServerConfiguration value, string? user, CancellationToken cancellationToken = default) =>
        WriteAsync(Server, JsonSerializer.Serialize(value), user, cancellationToken);

    private static T Deserialize<T>(string? json) where T : new() =>
        json is null ? new T() : JsonSerializer.Deserialize<T>(json) ?? new T();

    private async Task<string?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Set<SettingsDocument>().Where(d => d.Name == name).Select(d => d.Json).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task WriteAsync(string name, string json, string? user, CancellationToken cancellationToken)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var document = await db.Set<SettingsDocument>().FirstOrDefaultAsync(d => d.Name == name, cancellationToken);
            if (document is null)
            {
                document = new SettingsDocument { Name = name };
                db.Add(document);
            }

            document.Json = json;
            document.UpdatedUtc = clock.GetUtcNow().UtcDateTime;
            document.UpdatedBy = user;
            await db.SaveChangesAsync(cancellationToken);
        }

        Changed?.Invoke(name);
    }
}
