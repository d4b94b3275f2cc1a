using EmailIntegration.Core.Import;
using Quartz;

namespace EmailIntegration.App.Jobs;

internal static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz in this process, the import jobs and the inbox watchers.</summary>
    public static IServiceCollection AddJobs(this IServiceCollection services)
    {
        services.AddQuartz();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        // Listed so that ValidateOnBuild checks what the jobs need.
        services.AddTransient<AccountImportJob>();
        services.AddTransient<RecoveryJob>();
        services.AddSingleton<ImportScheduler>();
        services.AddSingleton<IImportScheduler>(sp => sp.GetRequiredService<ImportScheduler>());
        services.AddHostedService<MailboxWatcherService>();
        return services;
    }
}
