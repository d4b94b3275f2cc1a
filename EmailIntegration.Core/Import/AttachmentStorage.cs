using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>A message's attachments to the file store, on another thread, within attachment_max_size_mb in total.</summary>
internal sealed class AttachmentStorage(IFileStore files)
{
    /// <summary>A message read, with its attachments starting on their way to the file store on another thread.</summary>
    public Fetched Prepare(IncomingMessage message, ApplicationConfiguration application, CancellationToken cancellationToken)
    {
        if (message.Attachments.Count == 0)
        {
            return new Fetched(message.Ref) { Message = message };
        }

        var stored = new List<StoredAttachment>();
        return new Fetched(message.Ref, stored)
        {
            Message = message,
            Storing = Task.Run(() => StoreAsync(message, application, stored, cancellationToken), cancellationToken),
        };
    }

    /// <summary>Writes the attachments to the file store, stopping at attachment_max_size_mb in total.</summary>
    private async Task StoreAsync(IncomingMessage message, ApplicationConfiguration application, List<StoredAttachment> stored, CancellationToken cancellationToken)
    {
        var limit = application.AttachmentMaxSizeMb * 1024L * 1024L;
        long total = 0;
        foreach (var attachment in message.Attachments)
        {
            long length = 0;
            var hash = "";
            var key = await files.SaveAsync(attachment.FileName, async (destination, ct) =>
            {
                await using var counting = new CountingStream(destination, limit - total);
                await attachment.WriteToAsync(counting, ct);
                length = counting.Written;
                hash = counting.Hash();
            }, cancellationToken);
            stored.Add(new StoredAttachment(attachment, key, length, hash));
            total += length;
        }
    }
}

/// <summary>The attachments of a message went past attachment_max_size_mb.</summary>
internal sealed class AttachmentLimitException : Exception;
