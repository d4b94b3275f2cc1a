using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Import;

/// <summary>
/// "Handle unprocessed emails", when the application configuration enables it: an import pass per
/// account that takes only mail older than the grace period, then a retry of the failed messages
/// young enough to retry. The host runs it on the server configuration's cron schedule.
/// </summary>
public sealed class ImportRecovery(
    SettingsStore settings, AccountService accounts, ImportService imports, IImportScheduler scheduler, ILogger<ImportRecovery> logger)
{
    /// <summary>Runs one recovery; false when the application configuration turns it off.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var application = await settings.GetApplicationAsync(cancellationToken);
        if (!application.HandleUnprocessedEmailsEnabled)
        {
            return false;
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
        return true;
    }
}
