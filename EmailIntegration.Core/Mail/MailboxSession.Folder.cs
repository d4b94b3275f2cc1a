using MailKit;
using MailKit.Search;

namespace EmailIntegration.Core.Mail;

/// <summary>The INBOX and the other folders: what is unseen, \Seen flags, moving a message out, waiting for new mail.</summary>
public sealed partial class MailboxSession
{
    // \Seen commands queued in the background, oldest first, until someone looks at how they ended.
    private readonly List<Task> seen = [];

    /// <summary>Every message in INBOX without \Seen, oldest first.</summary>
    public Task<IReadOnlyList<MailboxMessageRef>> ListUnseenAsync(CancellationToken cancellationToken) =>
        Exclusive(() => ListUnseenCoreAsync(cancellationToken), "Listing unseen mail");

    private async Task<IReadOnlyList<MailboxMessageRef>> ListUnseenCoreAsync(CancellationToken cancellationToken)
    {
        var inbox = client.Inbox;
        // What arrives from here on is reported again by the search or a later command.
        countChanged = false;
        var uids = await inbox.SearchAsync(SearchQuery.NotSeen, cancellationToken);
        if (uids.Count == 0)
        {
            return [];
        }

        var summaries = await inbox.FetchAsync(uids, MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate | MessageSummaryItems.Size, cancellationToken);
        return summaries
            .Select(s => new MailboxMessageRef(inbox.UidValidity, s.UniqueId.Id, s.InternalDate ?? DateTimeOffset.MinValue, s.Size ?? 0))
            .OrderBy(r => r.Uid)
            .ToList();
    }

    /// <summary>
    /// Flags messages \Seen in one command, in the background after what the connection is doing
    /// now, so the caller goes on with the next ones. A failure surfaces at the next use of the
    /// session, or at <see cref="FlushAsync"/>, as a transient <see cref="MailboxException"/>: the
    /// messages stay unseen and the next pass finds them imported.
    /// </summary>
    public void MarkSeenInBackground(IReadOnlyCollection<MailboxMessageRef> messageRefs, CancellationToken cancellationToken)
    {
        if (messageRefs.Count == 0)
        {
            return;
        }

        var uids = messageRefs.Select(r => new UniqueId(r.Uid)).ToList();
        seen.Add(InBackground(async () =>
        {
            await client.Inbox.AddFlagsAsync(uids, MessageFlags.Seen, silent: true, cancellationToken);
            return true;
        }, $"Marking {uids.Count} messages seen"));
    }

    /// <summary>
    /// Reports the first \Seen command that failed, waiting for those still running or only looking
    /// at the finished ones. Reported as transient whatever the cause: it concerns no single message,
    /// so it stops the pass and not a message (the next pass finds them imported).
    /// </summary>
    private async Task SettleSeenAsync(bool wait)
    {
        while (seen.Count > 0 && (wait || seen[0].IsCompleted))
        {
            var marking = seen[0];
            seen.RemoveAt(0);
            try
            {
                await marking;
            }
            catch (MailboxException ex)
            {
                seen.Clear();
                throw new MailboxException(ex.Message, transient: true, ex);
            }
        }
    }

    /// <summary>Moves a message out of INBOX into the named folder, creating it when missing.</summary>
    public Task MoveToFolderAsync(MailboxMessageRef messageRef, string folderName, CancellationToken cancellationToken) =>
        Exclusive(async () =>
        {
            await MoveCoreAsync(messageRef, folderName, cancellationToken);
            return true;
        }, $"Moving message {messageRef.MailboxId} to \"{folderName}\"");

    private async Task MoveCoreAsync(MailboxMessageRef messageRef, string folderName, CancellationToken cancellationToken)
    {
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = (await root.GetSubfoldersAsync(false, cancellationToken))
            .FirstOrDefault(f => string.Equals(f.Name, folderName, StringComparison.OrdinalIgnoreCase))
            ?? await root.CreateAsync(folderName, true, cancellationToken);
        await client.Inbox.MoveToAsync(new UniqueId(messageRef.Uid), folder!, cancellationToken);
    }

    /// <summary>
    /// Waits until new mail may have arrived: IMAP IDLE when the server has it (restarted by the
    /// caller every few minutes, as servers drop idle connections near 30), else a plain wait.
    /// Returns at once, true, when the server reported new mail since unseen mail was last listed
    /// (to a command of the pass that listed it); true also when IDLE ended because mail came, false
    /// when the wait ran out.
    /// </summary>
    public Task<bool> WaitForMailAsync(TimeSpan maximum, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        Exclusive(() => WaitCoreAsync(maximum, pollInterval, cancellationToken), "Waiting for new mail");

    private async Task<bool> WaitCoreAsync(TimeSpan maximum, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (countChanged)
        {
            // Cleared here too, so a pass that ends before it lists the mail (an account without a mapping) cannot spin.
            countChanged = false;
            return true;
        }

        if (!SupportsIdle)
        {
            await client.NoOpAsync(cancellationToken);
            await Task.Delay(pollInterval < maximum ? pollInterval : maximum, cancellationToken);
            return true;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        done.CancelAfter(maximum);
        void OnCountChanged(object? sender, EventArgs e)
        {
            // Note: never issue commands from the event handler; just end the IDLE.
            done.Cancel();
        }

        client.Inbox.CountChanged += OnCountChanged;
        try
        {
            await client.IdleAsync(done.Token, cancellationToken);
        }
        finally
        {
            client.Inbox.CountChanged -= OnCountChanged;
        }

        return countChanged;
    }
}
