using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.Core.Accounts;

public sealed class SecretsAtRestTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public SecretsAtRestTests() => scenario = new OAuthScenario(host);

    [Fact]
    public async Task Client_secrets_refresh_tokens_and_passwords_appear_nowhere_in_the_database_file_or_the_logs()
    {
        const string microsoftSecret = "ms-secret-Zq8xW3vB9kLm";
        const string googleSecret = "g-secret-Hy5tR2pN7cJd";
        const string rotatedSecret = "ms-rotated-Kd4sQ9wE1uYo";
        var (msApp, msAccount, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Microsoft, microsoftSecret);
        var (_, gAccount, _) = await scenario.ConnectedAccountAsync(OAuthProvider.Google, googleSecret);
        var credentials = host.Get<AccountCredentials>();
        await credentials.GetAsync(msAccount, forceRefresh: true);
        await credentials.GetAsync(gAccount, forceRefresh: true);

        // Rotation, and a revoked grant that is logged about.
        var apps = host.Get<OAuthApplicationService>();
        var ms = (await apps.ListAsync()).Single(a => a.Id == msApp);
        await scenario.Provider.RegisterClientAsync(ms.ClientId, rotatedSecret);
        await apps.SaveAsync(msApp, new OAuthApplicationInput(ms.Name, ms.Provider, ms.TenantId, ms.ClientId, rotatedSecret, ms.RedirectUrl, null));
        await credentials.GetAsync(msAccount, forceRefresh: true);

        // A password account that signs in for real.
        var password = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(MailStack.NewMailbox("pw")));
        var check = await host.Get<AccountChecks>().TestAsync(password.Id!.Value);
        Assert.True(check.Passed, check.Reason);

        var refreshTokens = new[] { await RefreshTokenAsync(msAccount), await RefreshTokenAsync(gAccount) };
        Assert.All(refreshTokens, t => Assert.True(t.Length > 20));
        var secrets = new[] { microsoftSecret, googleSecret, rotatedSecret, MailStack.Password }.Concat(refreshTokens).ToList();

        SqliteConnection.ClearAllPools();
        var files = Directory.GetFiles(host.DataPath, "emailintegration.db*");
        Assert.NotEmpty(files);
        var logs = host.Logs.Text;
        Assert.Contains("Consent finished", logs, StringComparison.Ordinal);
        foreach (var secret in secrets)
        {
            foreach (var file in files)
            {
                var bytes = await ReadSharedAsync(file);
                Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(secret)), $"a secret is readable in {Path.GetFileName(file)}");
                Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(secret)), $"a secret is readable (UTF-16) in {Path.GetFileName(file)}");
            }

            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        }
    }

    private async Task<string> RefreshTokenAsync(Guid account)
    {
        await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var row = await db.Set<MailAccount>().AsNoTracking().SingleAsync(a => a.Id == account);
        var tokens = host.Get<SecretProtector>().TryUnprotect(row.ProtectedTokens)!;
        // Google's set is JSON with the refresh token; MSAL's cache holds it base64-encoded inside.
        using var json = System.Text.Json.JsonDocument.Parse(tokens);
        if (json.RootElement.TryGetProperty("RefreshToken", out var refresh))
        {
            return refresh.GetString()!;
        }

        var cache = Encoding.UTF8.GetString(json.RootElement.GetProperty("Cache").GetBytesFromBase64());
        using var msal = System.Text.Json.JsonDocument.Parse(cache);
        return msal.RootElement.GetProperty("RefreshToken").EnumerateObject().Single().Value.GetProperty("secret").GetString()!;
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
