using EmailIntegration.Core.Import;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>Runs <see cref="ImportRecovery"/>, then plans its own next run from the cron expression.</summary>
[DisallowConcurrentExecution]
internal sealed class RecoveryJob(ImportRecovery recovery, JobScheduler scheduler) : IJob
{
    public static readonly JobKey Key = new("recovery", "recovery");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await recovery.RunAsync(cancellationToken);
        }
        finally
        {
            await scheduler.ScheduleRecoveryAsync(cancellationToken);
        }
    }
}
