using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>
/// A mailbox's messages for the batches of a pass, in the pass's order. Up to <see cref="Depth"/>
/// are taken ahead of the one being written, and only those already downloaded, so taking them
/// costs no wait: their attachments are stored on another thread meanwhile.
/// </summary>
internal sealed class MailboxSource(MessagePrefetcher prefetcher, AttachmentStorage attachments, ApplicationConfiguration application, CancellationToken cancellationToken)
    : IMessageSource
{
    private const int Depth = 8;

    private readonly Queue<Fetched> queue = new();

    public int Remaining => prefetcher.Remaining + queue.Count;

    public async Task<Fetched> TakeAsync()
    {
        var taken = queue.Count > 0 ? queue.Dequeue() : await NextAsync();
        try
        {
            while (queue.Count < Depth && prefetcher.NextIsDownloaded)
            {
                queue.Enqueue(await NextAsync());
            }
        }
        catch
        {
            // The pass stops (a broken connection); whatever was taken is let go with the queue.
            queue.Enqueue(taken);
            throw;
        }

        return taken;
    }

    private async Task<Fetched> NextAsync()
    {
        var fetched = await prefetcher.TakeAsync();
        // Unreadable even as MIME: out of the way, with the reason, so the rest goes on.
        return fetched.Message is { } message
            ? attachments.Prepare(message, application, cancellationToken)
            : new Fetched(fetched.Ref) { Error = $"The message could not be read: {fetched.Error!.Message}" };
    }

    /// <summary>Lets go of the messages taken ahead and not imported (the pass stopped), with any attachments stored for them.</summary>
    public async Task DiscardAsync(IFileStore files)
    {
        while (queue.TryDequeue(out var left))
        {
            await left.DiscardAsync(files);
        }
    }
}
