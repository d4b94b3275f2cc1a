using System.Net;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace EmailIntegration.Tests.App.Endpoints;

public sealed class HealthTests : IDisposable
{
    private readonly AppHost host = new();

    [Fact]
    public async Task Healthz_answers_200_while_the_database_answers_and_503_when_it_is_broken()
    {
        using var session = host.NewSession();
        using (var healthy = await session.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // Replace the database file with bytes that are not a database.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(host.DataPath, "emailintegration.db*"))
        {
            File.Delete(file);
        }

        await File.WriteAllTextAsync(host.DatabasePath, "this is not a SQLite database, it is plain text");

        using var broken = await session.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, broken.StatusCode);
    }

    public void Dispose() => host.Dispose();
}
