using System.Globalization;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        : this(Path.Combine(Path.GetTempPath(), "emailintegration-tests", Guid.NewGuid().ToString("N")), keepData: false)
    {
    }

    /// <summary>An App on a given data folder, kept afterwards when <paramref name="keepData"/> (for tests that restart it).</summary>
    public AppHost(string dataPath, bool keepData)
    {
        DataPath = dataPath;
        this.keepData = keepData;
        TemplateDatabase.CopyTo(dataPath);
        UseKestrel(0);
    }

    private readonly bool keepData;

    public string DataPath { get; }

    /// <summary>Extra registrations (a custom message handler, for instance).</summary>
    public Action<IServiceCollection>? ExtraServices { get; init; }

    /// <summary>The App's clock; a FakeTimeProvider makes time rules testable.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Runs the inbox watchers and import jobs as in production.</summary>
    public bool WatchMailboxes { get; init; }

    /// <summary>Lets the outbox job send over SMTP; otherwise rows only queue (tests about imports send nothing).</summary>
    public bool SendMail { get; init; }

    /// <summary>Extra configuration keys (shorter retry delays, for instance).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

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
        // Tests import by calling the import service; only those about watching turn the watchers on.
        builder.UseSetting("EmailIntegration:Import:Enabled", WatchMailboxes ? "true" : "false");
        builder.UseSetting("EmailIntegration:Outbox:Enabled", SendMail ? "true" : "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        if (MailStack.IsRunning)
        {
            // The product's provider endpoints and mail hosts, pointed at the loopback stack.
            var idp = MailStack.IdentityProviderHttps.ToString().TrimEnd('/');
            var settings = new Dictionary<string, string>
            {
                ["EmailIntegration:Tls:TrustedCertificates:0"] = MailStack.TlsCertificate,
                ["EmailIntegration:OAuth:Microsoft:AuthorityHost"] = idp + "/",
                ["EmailIntegration:OAuth:Microsoft:Imap:Host"] = MailStack.Host,
                ["EmailIntegration:OAuth:Microsoft:Imap:Port"] = MailStack.ImapsPort.ToString(CultureInfo.InvariantCulture),
                ["EmailIntegration:OAuth:Microsoft:Smtp:Host"] = MailStack.Host,
                ["EmailIntegration:OAuth:Microsoft:Smtp:Port"] = MailStack.SubmissionPort.ToString(CultureInfo.InvariantCulture),
                ["EmailIntegration:OAuth:Google:AuthorizationEndpoint"] = idp + "/google/authorize",
                ["EmailIntegration:OAuth:Google:TokenEndpoint"] = idp + "/google/token",
                ["EmailIntegration:OAuth:Google:RevokeEndpoint"] = idp + "/google/revoke",
                ["EmailIntegration:OAuth:Google:Imap:Host"] = MailStack.Host,
                ["EmailIntegration:OAuth:Google:Imap:Port"] = MailStack.ImapsPort.ToString(CultureInfo.InvariantCulture),
                ["EmailIntegration:OAuth:Google:Smtp:Host"] = MailStack.Host,
                ["EmailIntegration:OAuth:Google:Smtp:Port"] = MailStack.SubmissionsPort.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }

        // Everything reaches the captured logs (to prove what is never logged); the console keeps its levels.
        if (ExtraServices is { } extra)
        {
            builder.ConfigureServices(extra);
        }

        if (Clock is { } clock)
        {
            builder.ConfigureServices(services => services.AddSingleton(clock));
        }

        // The console gets warnings only: a suite's worth of request and SQL lines slows the run down.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs)
            .AddFilter<CapturedLogs>(null, LogLevel.Trace)
            .AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>(null, LogLevel.Warning));
    }

    /// <summary>Everything the App logged, for tests that check what must never be logged.</summary>
    public CapturedLogs Logs { get; } = new();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

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
        if (disposing && keepData)
        {
            SqliteConnection.ClearAllPools();
        }
        else if (disposing)
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
