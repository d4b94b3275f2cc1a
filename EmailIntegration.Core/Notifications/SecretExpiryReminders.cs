using System.Net;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// Emails the administrators 30, 7 and 1 days before an OAuth2 client secret expires (the same
/// warning the tab and start page show). Each threshold goes once per expiry date; a run that
/// missed days sends only the nearest threshold.
/// </summary>
public sealed class SecretExpiryReminders(
    IDbContextFactory<AppDbContext> dbFactory, AccountService accounts, IOutboxSignal signal, TimeProvider clock, ILogger<SecretExpiryReminders> logger)
{
    public static readonly int[] Thresholds = [30, 7, 1];

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var applications = await db.Set<OAuthApplication>().AsNoTracking().Where(a => a.SecretExpiresOn != null).ToListAsync(cancellationToken);
        var due = new List<(OAuthApplication App, int Threshold, int DaysLeft)>();
        foreach (var app in applications)
        {
            var daysLeft = app.SecretExpiresOn!.Value.DayNumber - today.DayNumber;
            if (daysLeft < 0 || !Thresholds.Any(t => daysLeft <= t))
            {
                continue;
            }

            var threshold = Thresholds.Where(t => daysLeft <= t).Min();
            var expires = app.SecretExpiresOn.Value.ToDateTime(TimeOnly.MinValue);
            if (!await db.Set<SecretReminder>().AnyAsync(r => r.ApplicationId == app.Id && r.DaysBefore == threshold && r.ExpiresOn == expires, cancellationToken))
            {
                due.Add((app, threshold, daysLeft));
            }
        }

        if (due.Count == 0)
        {
            return 0;
        }

        var admins = await (from user in db.Users
                            join userRole in db.UserRoles on user.Id equals userRole.UserId
                            join role in db.Roles on userRole.RoleId equals role.Id
                            where role.Name == Roles.Administrator && user.Email != null
                            select new { user.Email, user.UserName }).Distinct().ToListAsync(cancellationToken);
        var sender = (await accounts.ListAsync(cancellationToken)).OrderByDescending(a => a.State == AccountState.Connected).FirstOrDefault();
        if (admins.Count == 0 || sender is null)
        {
            logger.LogWarning("OAuth2 secret reminders cannot be emailed: {Reason}; the start page still shows the warning",
                admins.Count == 0 ? "no administrator has an email address" : "there is no mail account to send from");
            return 0;
        }

        foreach (var (app, threshold, daysLeft) in due)
        {
            var expiry = SecretExpiry.Evaluate(app.SecretExpiresOn, today);
            var name = WebUtility.HtmlEncode(app.Name);
            db.Add(new OutboxMessage
            {
                AccountId = sender.Id,
                Kind = OutboxKind.Reminder,
                MessageId = NotificationDispatcher.NewMessageId(sender.EmailAddress),
                FromAddress = sender.EmailAddress,
                FromName = sender.DisplayName,
                Subject = $"The client secret of \"{app.Name}\" expires in {daysLeft} day{(daysLeft == 1 ? "" : "s")}",
                Html = $"<p>The OAuth2 application <b>{name}</b> ({app.Provider}) has a client secret that expires on {app.SecretExpiresOn:yyyy-MM-dd}.</p>"
                    + $"<p>{WebUtility.HtmlEncode(expiry.Message)}</p><p>Email Integration settings \u2192 OAuth2 Applications \u2192 {name}.</p>",
                AutoSubmitted = "auto-generated",
                State = OutboxState.Queued,
                CreatedUtc = clock.GetUtcNow().UtcDateTime,
                NextAttemptUtc = clock.GetUtcNow().UtcDateTime,
                Recipients = admins.Select(a => new OutboxRecipient { Address = a.Email!.ToLowerInvariant(), Name = a.UserName }).ToList(),
            });
            db.Add(new SecretReminder { ApplicationId = app.Id, DaysBefore = threshold, ExpiresOn = app.SecretExpiresOn!.Value.ToDateTime(TimeOnly.MinValue), SentUtc = clock.GetUtcNow().UtcDateTime });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another run (another node, or the start-up run) recorded the same reminder first.
            return 0;
        }

        signal.Wake();
        return due.Count;
    }
}
