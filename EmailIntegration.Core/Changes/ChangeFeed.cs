using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Changes;

/// <summary>
/// What changed in committed transactions, published in-process right after each commit: open lists,
/// cards, tiles and the navigation subscribe and re-query, so "live" is one mechanism for the import,
/// replies, mark-read and edits alike. Subscribers run on the publisher's thread and must only hand off.
/// </summary>
public sealed class ChangeFeed(ILogger<ChangeFeed> logger)
{
    public event Action<ChangeBatch>? Published;

    public void Publish(ChangeBatch batch)
    {
        if (batch.Changes.Count == 0 || Published is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<Action<ChangeBatch>>())
        {
            try
            {
                handler(batch);
            }
            catch (Exception ex)
            {
                // A broken subscriber (a closed page) must not fail the writer that already committed.
                logger.LogWarning(ex, "A change feed subscriber failed");
            }
        }
    }
}
