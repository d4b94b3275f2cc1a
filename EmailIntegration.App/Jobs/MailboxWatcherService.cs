using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using Microsoft.Extensions.Options;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// Keeps an inbox watcher running for every account that can sign in, and none for the others.
/// New mail is imported over the watch's own connection; one broken account never touches another's loop.
/// An account whose way in changed (a new password or consent) gets a new watch at once: it connects
/// without waiting out the failing one's backoff, is checked, and its waiting INBOX is imported.
/// </summary>
internal sealed class MailboxWatcherService(
    AccountService accounts,
    InboxWatcher watcher,
    JobScheduler scheduler,
    ImportService imports,
    SettingsStore settings,
    IOptions<ImportOptions> options,
    ILogger<MailboxWatcherService> logger) : BackgroundService
{
    // Account changes wake the loop at once; this is only the safety net.
    private static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(30);
    private readonly Dictionary<Guid, (CancellationTokenSource Stop, Task Loop)> running = [];
    private readonly SemaphoreSlim wake = new(0);
    private readonly System.Collections.Concurrent.ConcurrentQueue<Guid> restarts = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            logger.LogWarning("Mailbox watching and import are turned off (EmailIntegration:Import:Enabled)");
            return;
        }

        imports.CleanSpool();
        scheduler.AccountsChanged += Wake;
        accounts.Changed += Wake;
        accounts.CredentialsChanged += Restart;
        settings.Changed += OnSettingsChanged;
        try
        {
            await scheduler.RegisterAllAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await ReconcileAsync(stoppingToken);
                try
                {
                    await wake.WaitAsync(ReconcileInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                // One pass serves every change so far: a start with many accounts changes state once per
                // account, and a pass per change would read every account that many times.
                while (wake.Wait(0, CancellationToken.None))
                {
                }
            }
        }
        finally
        {
            scheduler.AccountsChanged -= Wake;
            accounts.Changed -= Wake;
            accounts.CredentialsChanged -= Restart;
            settings.Changed -= OnSettingsChanged;
            foreach (var (stop, _) in running.Values)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(running.Values.Select(r => r.Loop));
            foreach (var (stop, _) in running.Values)
            {
                stop.Dispose();
            }
        }
    }

    private void Wake() => wake.Release();

    private void Restart(Guid accountId)
    {
        restarts.Enqueue(accountId);
        wake.Release();
    }

    private void OnSettingsChanged(string name)
    {
        if (name is SettingsStore.Server or SettingsStore.Application)
        {
            // A changed recovery schedule takes effect now, not after the next run.
            _ = scheduler.ScheduleRecoveryAsync(CancellationToken.None);
        }
    }

    private async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        // Stopped here, started again below with the account as it is now.
        while (restarts.TryDequeue(out var restart))
        {
            await StopAsync(restart);
        }

        IReadOnlyList<MailAccountSummary> all;
        try
        {
            all = await accounts.ListAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not read the accounts; watchers stay as they are");
            return;
        }

        var wanted = all.Where(CanSignIn).Select(a => a.Id).ToHashSet();
        foreach (var id in running.Keys.Where(id => !wanted.Contains(id)).ToList())
        {
            await StopAsync(id);
        }

        foreach (var id in wanted.Where(id => !running.ContainsKey(id)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var loop = Task.Run(() => watcher.WatchAsync(id, async (mailbox, ct) => (await imports.ImportAsync(id, ImportTrigger.Live, mailbox, ct)).Error is null, stop.Token), CancellationToken.None);
            running[id] = (stop, loop);
        }
    }

    private async Task StopAsync(Guid accountId)
    {
        if (running.Remove(accountId, out var watch))
        {
            await watch.Stop.CancelAsync();
            await watch.Loop;
            watch.Stop.Dispose();
        }
    }

    // Password accounts are always watched (a failing one retries with backoff); OAuth2 accounts once they have a live grant.
    private static bool CanSignIn(MailAccountSummary account) =>
        account.Authentication == AccountAuthentication.Password
        || (account.HasTokens && account.State != AccountState.ReauthenticationRequired);

    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }
}
