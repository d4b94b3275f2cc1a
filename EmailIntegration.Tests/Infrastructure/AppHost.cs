using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// The real App on Kestrel at a free loopback port, with its own data folder (SQLite file and key
/// ring) that is deleted afterwards. Browsers and HTTP clients talk to it over real sockets.
/// </summary>
public sealed class AppHost : WebApplicationFactory<Program>
{
    public const string AdminPassword = "Admin-Password-1";
    public const string SupportPassword = "Support-Password-1";

    public AppHost()
    {
        DataPath = Path.Combine(Path.GetTempPath(), "emailintegration-tests", Guid.NewGuid().ToString("N"));
        UseKestrel(0);
    }

    public string DataPath { get; }

    public string DatabasePath => Path.Combine(DataPath, "emailintegration.db");

    public Uri BaseUri
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("EmailIntegration:DataPath", DataPath);
    }

    public UserAdministration Users => Services.GetRequiredService<UserAdministration>();

    /// <summary>Creates a user directly, for tests that are not about creating users.</summary>
    public async Task<string> CreateUserAsync(string role, string? email = null, string? password = null)
    {
        email ??= $"{role.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..8]}@example.test";
        password ??= role == Roles.Administrator ? AdminPassword : SupportPassword;
        var result = await Users.CreateAsync(email, $"{role} user", password, role);
        Assert.True(result.Succeeded, result.ErrorText);
        return email;
    }

    public HttpSession NewSession() => new(BaseUri);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataPath, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open is cleaned with the temp folder; it must not fail the test.
            }
        }
    }
}
