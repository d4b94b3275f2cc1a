using EmailIntegration.Core.Import;
using EmailIntegration.Core.Notifications;
using Quartz;

namespace EmailIntegration.App.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz in this process (its jobs and triggers are all in <see cref="JobScheduler"/>), the inbox watchers and the archive worker.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var outbox = configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();
        var import = configuration.GetSection(ImportOptions.SectionName).Get<ImportOptions>() ?? new ImportOptions();
        services.AddQuartz(q =>
        {
            // Import passes mostly wait on the mail server, so many accounts need more than Quartz's default 10 at once.
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = Math.Max(1, import.ConcurrentJobs));
            JobScheduler.AddFixedJobs(q, outbox, TimeProvider.System);
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // Listed so that ValidateOnBuild checks what the jobs need.
        services.AddTransient<AccountImportJob>();
        services.AddTransient<RecoveryJob>();
        services.AddTransient<OutboxJob>();
        services.AddTransient<SecretReminderJob>();
        services.AddSingleton<JobScheduler>();
        services.AddSingleton<IImportScheduler>(sp => sp.GetRequiredService<JobScheduler>());
        services.AddSingleton<QuartzOutboxSignal>();
        services.AddSingleton<IOutboxSignal>(sp => sp.GetRequiredService<QuartzOutboxSignal>());
        services.AddHostedService<BuiltInMailHost>();
        services.AddHostedService<MailboxWatcherService>();
        services.AddHostedService<ArchiveImportWorker>();
        return services;
    }
}
