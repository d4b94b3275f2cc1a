using EmailIntegration.Core.Notifications;
using Microsoft.Extensions.Options;
using Quartz;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// Turns pending notification events into outbox rows, then sends what is due. Woken when rows are
/// committed, and on a short interval for retries; never two at once.
/// </summary>
[DisallowConcurrentExecution]
internal sealed class OutboxJob(NotificationDispatcher dispatcher, OutboxSender sender, IOptions<OutboxOptions> options, ILogger<OutboxJob> logger) : IJob
{
    public static readonly JobKey Key = new("outbox", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
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
    public void Wake() => _ = WakeAsync();

    private async Task WakeAsync()
    {
        try
        {
            var scheduler = await factory.GetScheduler();
            if (scheduler.Status == SchedulerStatus.Running)
            {
                await scheduler.TriggerJob(OutboxJob.Key);
            }
        }
        catch (SchedulerException ex)
        {
            // The interval trigger sends it a little later.
            logger.LogDebug(ex, "The outbox job could not be woken");
        }
    }
}

/// <summary>At start: rows a stopped process left mid-send are set aside (never sent twice by themselves).</summary>
internal sealed class OutboxStartup(OutboxSender sender, ILogger<OutboxStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var interrupted = await sender.ReleaseInterruptedAsync(cancellationToken);
        if (interrupted > 0)
        {
            logger.LogWarning("{Count} outgoing messages were interrupted mid-send by the last stop; they are marked failed for an admin to resend", interrupted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
