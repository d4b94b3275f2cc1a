using EmailIntegration.Core.Notifications;
using Microsoft.Extensions.Options;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// Turns pending notification events into outbox rows, then sends what is due. Woken when rows are
/// committed, and on a short interval for retries; never two at once.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OutboxJob(
    NotificationDispatcher dispatcher, OutboxSender sender, QuartzOutboxSignal signal, IOptions<OutboxOptions> options, ILogger<OutboxJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // From here on, new rows need a new wake; earlier ones are picked up by this run.
        signal.Started();
        var queued = await dispatcher.ExpandPendingAsync(cancellationToken);
        if (!options.Value.Enabled)
        {
            return;
        }

        var summary = await sender.SendDueAsync(cancellationToken);
        if (queued + summary.Sent + summary.Retrying + summary.Failed > 0)
        {
            logger.LogInformation("Outbox: {Queued} queued, {Sent} sent, {Retrying} to retry, {Failed} failed", queued, summary.Sent, summary.Retrying, summary.Failed);
        }
    }
}

/// <summary>Emails the administrators about OAuth2 secrets that are about to expire; daily at 07:00 UTC and a minute after start.</summary>
[DisallowConcurrentExecution]
internal sealed class SecretReminderJob(SecretExpiryReminders reminders) : IJob
{
    public static readonly JobKey Key = new("secret-reminders", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await reminders.RunAsync(cancellationToken);
}

/// <summary>Wakes the outbox job now instead of at its next interval.</summary>
internal sealed class QuartzOutboxSignal(ISchedulerFactory factory, ILogger<QuartzOutboxSignal> logger) : IOutboxSignal
{
    private int pending;

    /// <summary>Many imports and replies in a row wake the job once, not once each.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref pending, 1) == 0)
        {
            _ = WakeAsync();
        }
    }

    public void Started() => Interlocked.Exchange(ref pending, 0);

    private async Task WakeAsync()
    {
        try
        {
            var scheduler = await factory.GetScheduler();
            if (scheduler.Status == SchedulerStatus.Running)
            {
                await scheduler.TriggerJob(OutboxJob.Key);
            }
            else
            {
                // Not started yet: its interval trigger runs once it is.
                Started();
            }
        }
        catch (Exception ex) when (ex is SchedulerException or ObjectDisposedException or InvalidOperationException)
        {
            Started();
            // The interval trigger sends it a little later.
            logger.LogDebug(ex, "The outbox job could not be woken");
        }
    }
}
