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
