namespace EmailIntegration.Core.Import;

/// <summary>
/// The scheduled work of accounts (their import jobs, the recovery schedule), kept by the host's
/// scheduler. Sync asks it to register every account again after a restore or move.
/// </summary>
public interface IImportScheduler
{
    /// <summary>Registers every account's work and removes work of accounts that no longer exist; returns how many are registered.</summary>
    Task<int> RegisterAllAsync(CancellationToken cancellationToken);

    Task TriggerImportAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken);
}
