using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Settings;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// Every Quartz job and trigger in one place: the outbox and the secret-expiry reminders (added at
/// start), a durable import job per account (triggered by its inbox watcher and by the recovery), and
/// the recovery's next run computed from its cron expression.
/// </summary>
internal sealed class JobScheduler(ISchedulerFactory factory, AccountService accounts, SettingsStore settings, TimeProvider clock, ILogger<JobScheduler> logger)
    : IImportScheduler
{
    /// <summary>
    /// The jobs that exist from the start: the outbox (woken when rows are committed, and every
    /// <see cref="OutboxOptions.PollInterval"/> for retries) and the reminders (a minute after start, then daily at 07:00 UTC).
    /// </summary>
    public static void AddFixedJobs(IQuartzBuilder q, OutboxOptions outbox, TimeProvider clock)
    {
        q.AddJob<OutboxJob>(j => j.WithIdentity(OutboxJob.Key).StoreDurably());
        q.AddTrigger(t => t.ForJob(OutboxJob.Key).WithIdentity("outbox-interval", "notifications")
            .StartNow().WithSimpleSchedule(s => s.WithInterval(outbox.PollInterval).RepeatForever()));
        q.AddJob<SecretReminderJob>(j => j.WithIdentity(SecretReminderJob.Key).StoreDurably());
        q.AddTrigger(t => t.ForJob(SecretReminderJob.Key).WithIdentity("secret-reminders-start", "notifications").StartAt(clock.GetUtcNow().AddMinutes(1)));
        q.AddTrigger(t => t.ForJob(SecretReminderJob.Key).WithIdentity("secret-reminders-daily", "notifications").WithCronSchedule("0 0 7 * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)));
    }

    public event Action? AccountsChanged;

    public async Task<int> RegisterAllAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var ids = (await accounts.ListAsync(cancellationToken)).Select(a => a.Id).ToHashSet();
        foreach (var id in ids)
        {
            await scheduler.AddJob(JobFor(id), AddJobOptions.Replacing, cancellationToken);
        }

        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(AccountImportJob.Group), cancellationToken))
        {
            if (!Guid.TryParse(key.Name, out var id) || !ids.Contains(id))
            {
                await scheduler.DeleteJob(key, cancellationToken);
            }
        }

        await ScheduleRecoveryAsync(cancellationToken);
        AccountsChanged?.Invoke();
        return ids.Count;
    }

    public async Task TriggerImportAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var key = AccountImportJob.KeyFor(accountId);
        if (await scheduler.GetJobDetail(key, cancellationToken) is null)
        {
            await scheduler.AddJob(JobFor(accountId), AddJobOptions.Replacing, cancellationToken);
        }

        await scheduler.TriggerJob(key, new JobDataMap { ["trigger"] = trigger.ToString() }, cancellationToken);
    }

    /// <summary>Plans the recovery's next run from the server configuration (also after a change to it).</summary>
    public async Task ScheduleRecoveryAsync(CancellationToken cancellationToken)
    {
        var scheduler = await factory.GetScheduler(cancellationToken);
        var server = await settings.GetServerAsync(cancellationToken);
        if (await scheduler.GetJobDetail(RecoveryJob.Key, cancellationToken) is null)
        {
            await scheduler.AddJob(JobBuilder.Create<RecoveryJob>().WithIdentity(RecoveryJob.Key).StoreDurably().Build(), AddJobOptions.Replacing, cancellationToken);
        }

        var triggerKey = new TriggerKey("recovery-next", "recovery");
        await scheduler.UnscheduleJob(triggerKey, cancellationToken);
        if (!TryParse(server.HandleUnprocessedEmails.Schedule, out var cron))
        {
            logger.LogWarning("The recovery schedule \"{Schedule}\" is not a cron expression; recovery is not scheduled", server.HandleUnprocessedEmails.Schedule);
            return;
        }

        var next = cron!.GetNextOccurrence(clock.GetUtcNow(), TimeZoneInfo.Utc);
        if (next is { } at)
        {
            await scheduler.ScheduleJob(TriggerBuilder.Create().WithIdentity(triggerKey).ForJob(RecoveryJob.Key).StartAt(at).Build(), ScheduleJobOptions.Replacing, cancellationToken);
        }
    }

    public static bool TryParse(string? expression, out Cronos.CronExpression? cron)
    {
        cron = null;
        return !string.IsNullOrWhiteSpace(expression) && Cronos.CronExpression.TryParse(expression, Cronos.CronFormat.Standard, out cron);
    }

    private static IJobDetail JobFor(Guid accountId) => JobBuilder.Create<AccountImportJob>()
        .WithIdentity(AccountImportJob.KeyFor(accountId))
        .UsingJobData("accountId", accountId.ToString())
        .StoreDurably()
        .Build();
}
