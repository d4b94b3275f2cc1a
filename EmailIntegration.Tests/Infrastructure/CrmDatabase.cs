using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>The object store on a fresh SQLite file with the migrations and the default schema applied.</summary>
public sealed class CrmDatabase : IAsyncLifetime, IDisposable
{
    private readonly string dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider? provider;

    public SchemaService Schema => Services.GetRequiredService<SchemaService>();

    public ObjectStore Store => Services.GetRequiredService<ObjectStore>();

    public IServiceProvider Services => provider ?? throw new InvalidOperationException("Not initialized.");

    public async Task InitializeAsync() => provider = await MigratedAsync(dataPath);

    /// <summary>Persistence and the object store on the database in <paramref name="dataPath"/>, migrated, with the default schema.</summary>
    public static async Task<ServiceProvider> MigratedAsync(string dataPath)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EmailIntegration:DataPath"] = dataPath })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPersistence(configuration);
        services.AddCrm();
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        return provider;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        provider?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(dataPath, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp folder's cleanup; never a test failure.
        }
    }
}
