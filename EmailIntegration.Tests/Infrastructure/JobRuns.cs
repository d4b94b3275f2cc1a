using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>
/// Runs one of the App's Quartz jobs now, as its interval would, and waits until that many runs of it have
/// ended: "nothing more happens over the next passes" without sleeping through the interval.
/// </summary>
public static class JobRuns
{
    public static async Task RunAsync(AppHost host, JobKey job, int runs)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var listener = new Counter(runs);
        scheduler.ListenerManager.AddJobListener(listener, Matchers.Key(job));
        try
        {
            for (var i = 0; i < runs; i++)
            {
                await scheduler.TriggerJob(job);
            }

            await listener.Ended.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            scheduler.ListenerManager.RemoveJobListener(listener.Name);
        }
    }

    private sealed class Counter(int runs) : IJobListener
    {
        private int ended;

        public string Name { get; } = "test-runs-" + Guid.NewGuid().ToString("N");

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref ended) >= runs)
            {
                Ended.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }
    }
}
