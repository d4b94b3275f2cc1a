using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>The administrators hear about an expiring OAuth2 secret 30, 7 and 1 days ahead, once each.</summary>
public sealed class SecretReminderTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
    private readonly AppHost host;

    public SecretReminderTests() => host = new AppHost { Clock = clock };

    [Fact]
    public async Task Reminders_go_at_30_7_and_1_days_once_each_to_every_administrator()
    {
        var admin = await host.CreateUserAsync(Roles.Administrator, "boss@example.test");
        await host.CreateUserAsync(Roles.Support, "helper@example.test");
        var saved = await host.Get<AccountService>().SaveAsync(null, new MailAccountInput("Desk", "desk@example.test", AccountAuthentication.Password, null, null,
            new("127.0.0.1", 993, EmailIntegration.Core.Mail.MailSecurity.SslOnConnect), new("127.0.0.1", 587, EmailIntegration.Core.Mail.MailSecurity.StartTls), null, "pw"));
        Assert.True(saved.Succeeded);
        var app = await host.Get<OAuthApplicationService>().SaveAsync(null, new OAuthApplicationInput(
            "Contoso <Entra>", OAuthProvider.Microsoft, Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "secret", "https://crm.example.test/email/oauth",
            new DateOnly(2027, 1, 10)));
        Assert.True(app.Succeeded, string.Join("; ", app.Errors.Values));
        var reminders = host.Get<SecretExpiryReminders>();

        // The daily job runs on the same clock, so what counts is the outbox after each run, whoever ran it.
        async Task<int> RemindersAfterRunAt(DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await reminders.RunAsync();
            await reminders.RunAsync();
            await using var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            return await db.Set<OutboxMessage>().CountAsync(o => o.Kind == OutboxKind.Reminder);
        }

        Assert.Equal(0, await RemindersAfterRunAt(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, await RemindersAfterRunAt(new DateTimeOffset(2026, 12, 11, 7, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, await RemindersAfterRunAt(new DateTimeOffset(2026, 12, 20, 7, 0, 0, TimeSpan.Zero)));
        // A run that missed days sends only the nearest threshold.
        Assert.Equal(2, await RemindersAfterRunAt(new DateTimeOffset(2027, 1, 5, 7, 0, 0, TimeSpan.Zero)));
        Assert.Equal(3, await RemindersAfterRunAt(new DateTimeOffset(2027, 1, 9, 7, 0, 0, TimeSpan.Zero)));
        // Expired: the start page says so; no more mail.
        Assert.Equal(3, await RemindersAfterRunAt(new DateTimeOffset(2027, 1, 11, 7, 0, 0, TimeSpan.Zero)));

        await using var check = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var rows = await check.Set<OutboxMessage>().Include(o => o.Recipients).OrderBy(o => o.CreatedUtc).ToListAsync();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal(OutboxKind.Reminder, r.Kind);
            Assert.Equal([admin], r.Recipients.Select(x => x.Address));
            Assert.Contains("Contoso &lt;Entra&gt;", r.Html, StringComparison.Ordinal);
            Assert.Equal("desk@example.test", r.FromAddress);
        });
        Assert.Equal(["30 days", "5 days", "1 day"], rows.Select(r => r.Subject[(r.Subject.LastIndexOf("in ", StringComparison.Ordinal) + 3)..]));
    }

    public void Dispose() => host.Dispose();
}
