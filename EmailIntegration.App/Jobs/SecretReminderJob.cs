using EmailIntegration.Core.Notifications;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>Emails the administrators about OAuth2 secrets that are about to expire; daily at 07:00 UTC and a minute after start.</summary>
[DisallowConcurrentExecution]
internal sealed class SecretReminderJob(SecretExpiryReminders reminders) : IJob
{
    public static readonly JobKey Key = new("secret-reminders", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reminders.RunAsync(cancellationToken);
}
