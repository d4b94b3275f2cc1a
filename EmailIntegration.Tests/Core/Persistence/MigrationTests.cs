using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.Core.Persistence;

public sealed class MigrationTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"ei-migrations-{Guid.NewGuid():N}.db");

    private AppDbContext NewContext() =>
        new(new DbContextOptionsBuilder<AppDbContext>().UseSqlite($"Data Source={file}").Options);

    [Fact]
    public async Task All_migrations_apply_to_an_empty_database_file()
    {
        await using var db = NewContext();
        var all = db.Database.GetMigrations().ToList();
        Assert.NotEmpty(all);

        await db.Database.MigrateAsync();

        Assert.Equal(all, await db.Database.GetAppliedMigrationsAsync());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        // The schema really exists: a user table that answers a query.
        Assert.Equal(0, await db.Users.CountAsync());
    }

    [Fact]
    public async Task The_committed_migrations_match_the_model()
    {
        await using var db = NewContext();
        // Fails when an entity changed without `dotnet ef migrations add`.
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no committed migration holds.");
        await Task.CompletedTask;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(file);
    }
}
