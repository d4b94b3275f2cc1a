using System.Collections.Concurrent;

namespace EmailIntegration.Core.Accounts;

/// <summary>
/// One lock per account, held across awaits. Note: per process; several nodes would need a
/// database lease instead.
/// </summary>
public sealed class AccountLocks
{
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> locks = new();

    public async Task<IDisposable> AcquireAsync(Guid accountId, CancellationToken cancellationToken)
    {
        var gate = locks.GetOrAdd(accountId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
