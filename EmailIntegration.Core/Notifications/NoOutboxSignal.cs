namespace EmailIntegration.Core.Notifications;

/// <summary>For hosts without the job (tools, benchmarks): nothing to wake.</summary>
public sealed class NoOutboxSignal : IOutboxSignal
{
    public void Wake()
    {
    }
}
