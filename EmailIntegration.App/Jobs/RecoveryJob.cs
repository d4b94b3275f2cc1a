using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// "Handle unprocessed emails": on the server configuration's schedule, when the application
/// configuration enables it, an import pass per account that takes only mail older than the grace
/// period. Schedules its own next run from the cron expression.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class RecoveryJob(SettingsStore settings, AccountService accounts, ImportService imports, ImportScheduler scheduler, ILogger<RecoveryJob> logger) : IJob
{
    public static readonly JobKey Key = new("recovery", "recovery");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var application = await settings.GetApplicationAsync(cancellationToken);
            if (!application.HandleUnprocessedEmailsEnabled)
            {
                return;
            }

            foreach (var account in await accounts.ListAsync(cancellationToken))
            {
                await scheduler.TriggerImportAsync(account.Id, ImportTrigger.Recovery, cancellationToken);
            }

            var retried = 0;
            foreach (var failure in await imports.FailuresToRetryAsync(cancellationToken))
            {
                try
                {
                    if (await imports.RetryFailedAsync(failure, cancellationToken) != ImportOutcome.Failed)
                    {
                        retried++;
                    }
                }
                catch (InvalidOperationException ex)
                {
                    logger.LogWarning("Failed message {Id} cannot be retried: {Reason}", failure, ex.Message);
                }
            }

            logger.LogInformation("Recovery started for every account; {Retried} failed messages imported on retry", retried);
        }
        finally
        {
            await scheduler.ScheduleRecoveryAsync(cancellationToken);
        }
    }
}
