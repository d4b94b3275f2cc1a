using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>
/// A message taken from its source, with its attachments on their way to the file store on
/// another thread; or the reason it could not be read.
/// </summary>
internal sealed class Fetched(MailboxMessageRef messageRef, List<StoredAttachment>? stored = null)
{
    public MailboxMessageRef Ref { get; } = messageRef;

    public IncomingMessage? Message { get; init; }

    public string? Error { get; init; }

    /// <summary>The attachments stored so far: all of them once <see cref="Storing"/> has finished; read only after it.</summary>
    public List<StoredAttachment> Stored { get; } = stored ?? [];

    public Task Storing { get; init; } = Task.CompletedTask;

    /// <summary>Waits until storing the attachments has ended, whichever way.</summary>
    public async Task SettleAsync()
    {
        try
        {
            await Storing;
        }
        catch (Exception)
        {
            // Its failure is the import's to report; what was stored before it is in the list.
        }
    }

    /// <summary>Deletes the stored attachments once storing has ended (a duplicate, a failed import).</summary>
    public async Task DeleteStoredAsync(IFileStore files)
    {
        await SettleAsync();
        foreach (var file in Stored)
        {
            await files.DeleteAsync(file.Key, CancellationToken.None);
        }

        Stored.Clear();
    }

    /// <summary>Lets go of a message that was not imported: its stored attachments and the message.</summary>
    public async Task DiscardAsync(IFileStore files)
    {
        await DeleteStoredAsync(files);
        if (Message is not null)
        {
            await Message.DisposeAsync();
        }
    }
}
