using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>Messages taken from the mailbox ahead of the one being written, with their attachments stored meanwhile.</summary>
public sealed partial class ImportService
{
    /// <summary>
    /// A message taken from the mailbox, with its attachments on their way to the file store on
    /// another thread; or the reason it could not be read.
    /// </summary>
    private sealed class Fetched(MailboxMessageRef messageRef, List<StoredAttachment>? stored = null)
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

    /// <summary>Takes a message from the mailbox and starts storing its attachments in the background.</summary>
    private async Task<Fetched> FetchAsync(Pass pass, MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        IncomingMessage message;
        try
        {
            pass.Lookahead.Advance(messageRef, cancellationToken);
            message = await pass.Mailbox.FetchAsync(messageRef, cancellationToken);
            // The next ones arrive while this one is written.
            pass.Lookahead.Advance(messageRef, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && ex is not MailboxException { Transient: true })
        {
            // Unreadable even as MIME: out of the way, with the reason, so the rest goes on.
            return new Fetched(messageRef) { Error = $"The message could not be read: {ex.Message}" };
        }

        return Prepare(message, pass.Application, cancellationToken);
    }

    /// <summary>A message read, with its attachments starting on their way to the file store on another thread.</summary>
    private Fetched Prepare(IncomingMessage message, ApplicationConfiguration application, CancellationToken cancellationToken)
    {
        if (message.Attachments.Count == 0)
        {
            return new Fetched(message.Ref) { Message = message };
        }

        var stored = new List<StoredAttachment>();
        return new Fetched(message.Ref, stored)
        {
            Message = message,
            Storing = Task.Run(() => StoreAttachmentsAsync(message, application, stored, cancellationToken), cancellationToken),
        };
    }

    /// <summary>
    /// The messages taken from the mailbox ahead of the one being written: at most <see cref="Depth"/>,
    /// and only those already downloaded, so taking them costs no wait. Their attachments are stored
    /// on another thread meanwhile. Messages are taken in the pass's order; <see cref="Lookahead"/>
    /// is what downloads them in the background.
    /// </summary>
    private sealed class TakenAhead(IReadOnlyList<MailboxMessageRef> refs, MailboxSession mailbox, Func<MailboxMessageRef, Task<Fetched>> fetch) : IMessageSource
    {
        private const int Depth = 8;

        private readonly Queue<Fetched> queue = new();
        private int next;

        /// <summary>The messages of the pass not taken yet.</summary>
        public int Remaining => refs.Count - next + queue.Count;

        public async Task<Fetched> TakeAsync()
        {
            var taken = queue.Count > 0 ? queue.Dequeue() : await fetch(refs[next++]);
            try
            {
                while (queue.Count < Depth && next < refs.Count && mailbox.IsDownloaded(refs[next]))
                {
                    queue.Enqueue(await fetch(refs[next++]));
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

        public async Task DiscardAsync(IFileStore files)
        {
            while (queue.TryDequeue(out var left))
            {
                await left.DiscardAsync(files);
            }
        }
    }

    /// <summary>
    /// Keeps one background fetch of the next small messages running while earlier ones are written,
    /// within bounds: a group is at most <see cref="GroupCount"/> messages and <see cref="GroupBytes"/>,
    /// and none starts while <see cref="ReadyBytes"/> or <see cref="GroupCount"/> messages wait untaken.
    /// Large messages are left out; each is fetched alone in ranges when its turn comes.
    /// </summary>
    private sealed class Lookahead(MailboxSession mailbox, IReadOnlyList<MailboxMessageRef> refs)
    {
        private const int GroupCount = 25;
        private const long GroupBytes = 2 * 1024 * 1024;
        private const long ReadyBytes = 4 * 1024 * 1024;

        private readonly Dictionary<uint, int> positions = refs.Select((r, i) => (r.Uid, i)).ToDictionary(p => p.Uid, p => p.i);
        private int next;

        public void Advance(MailboxMessageRef current, CancellationToken cancellationToken)
        {
            // Never behind the message being imported: what lies before it was taken already.
            next = Math.Max(next, positions.GetValueOrDefault(current.Uid));
            if (mailbox.PrefetchRunning || mailbox.PrefetchedBytes >= ReadyBytes || mailbox.PrefetchedCount >= GroupCount)
            {
                return;
            }

            var group = new List<MailboxMessageRef>();
            long bytes = 0;
            while (next < refs.Count && group.Count < GroupCount)
            {
                var messageRef = refs[next];
                if (MailboxSession.IsSmall(messageRef))
                {
                    if (group.Count > 0 && bytes + messageRef.Size > GroupBytes)
                    {
                        break;
                    }

                    group.Add(messageRef);
                    bytes += messageRef.Size;
                }

                next++;
            }

            mailbox.StartPrefetch(group, cancellationToken);
        }
    }
}
