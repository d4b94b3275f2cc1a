using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Crm;

/// <summary>A fresh object store per test: its own SQLite file with migrations and the default schema.</summary>
public abstract class CrmTestBase : IAsyncLifetime
{
    protected CrmDatabase Database { get; } = new();

    public virtual Task InitializeAsync() => Database.InitializeAsync();

    public Task DisposeAsync()
    {
        Database.Dispose();
        return Task.CompletedTask;
    }
}
