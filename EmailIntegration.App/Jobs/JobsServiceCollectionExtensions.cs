using EmailIntegration.Core.Import;
using EmailIntegration.Core.Notifications;
using Quartz;

namespace EmailIntegration.App.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz in this process: the import jobs and inbox watchers, the outbox and the reminders.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var outbox = configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();
        var import = configuration.GetSection(ImportOptions.SectionName).Get<ImportOptions>() ?? new ImportOptions();
        services.AddQuartz(q =>
        {
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(1, import.ConcurrentJobs));
            q.AddJob<OutboxJob>(j => j.WithIdentity(OutboxJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(OutboxJob.Key).WithIdentity("outbox-interval", "notifications")
                .StartNow().WithSimpleSchedule(s => s.WithInterval(outbox.PollInterval).RepeatForever()));
            q.AddJob<SecretReminderJob>(j => j.WithIdentity(SecretReminderJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(SecretReminderJob.Key).WithIdentity("secret-reminders-start", "notifications").StartAt(TimeProvider.System.GetUtcNow().AddMinutes(1)));
            q.AddTrigger(t => t.ForJob(SecretReminderJob.Key).WithIdentity("secret-reminders-daily", "notifications").WithCronSchedule("0 0 7 * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // Listed so that ValidateOnBuild checks what the jobs need.
        services.AddTransient<AccountImportJob>();
        services.AddTransient<RecoveryJob>();
        services.AddTransient<OutboxJob>();
        services.AddTransient<SecretReminderJob>();
        services.AddSingleton<ImportScheduler>();
        services.AddSingleton<IImportScheduler>(sp => sp.GetRequiredService<ImportScheduler>());
        services.AddSingleton<QuartzOutboxSignal>();
        services.AddSingleton<IOutboxSignal>(sp => sp.GetRequiredService<QuartzOutboxSignal>());
        services.AddHostedService<BuiltInMailHost>();
        services.AddHostedService<MailboxWatcherService>();
        services.AddHostedService<ArchiveImportWorker>();
        return services;
    }
}
