using Microsoft.Data.Sqlite;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// A database with the migrations and the default schema applied, made once per test process and
/// copied into each new App's data folder: every App starts on a file of its own, and its start-up
/// finds nothing left to apply. A first start on an empty folder stays covered by the tests that run
/// the App as its own process and by <c>MigrationTests</c>.
/// </summary>
internal static class TemplateDatabase
{
    private static readonly Lazy<string> Template = new(() => Task.Run(CreateAsync).GetAwaiter().GetResult());

    /// <summary>Puts the template's copy where the App at <paramref name="dataPath"/> will find its database, unless one is there.</summary>
    public static void CopyTo(string dataPath)
    {
        var target = Path.Combine(dataPath, "emailintegration.db");
        if (File.Exists(target))
        {
            return;
        }

        Directory.CreateDirectory(dataPath);
        File.Copy(Template.Value, target);
    }

    private static async Task<string> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "emailintegration-tests", "template-" + Guid.NewGuid().ToString("N"));
        await (await CrmDatabase.MigratedAsync(folder)).DisposeAsync();

        // One file: everything written so far moved from the write-ahead log into the database.
        var file = Path.Combine(folder, "emailintegration.db");
        SqliteConnection.ClearAllPools();
        await using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await checkpoint.ExecuteNonQueryAsync();
        }

        return file;
    }
}
