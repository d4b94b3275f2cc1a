using EmailIntegration.Core.Notifications;
using Quartz;

namespace EmailIntegration.App.Jobs;

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
