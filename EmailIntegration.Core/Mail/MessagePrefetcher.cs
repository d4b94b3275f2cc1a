namespace EmailIntegration.Core.Mail;

/// <summary>
/// An import pass's messages, handed out in order, the small ones downloaded ahead in the
/// background while earlier ones are written: this class owns both the plan (which messages the
/// next command fetches, and when) and the messages it brought that were not taken yet.
/// </summary>
/// <remarks>
/// One group fetch runs at a time (the connection carries one command): at most
/// <see cref="GroupCount"/> messages and <see cref="GroupBytes"/>, and none starts while
/// <see cref="GroupCount"/> messages or <see cref="ReadyBytes"/> wait untaken, so memory stays
/// bounded. A large message is left out of the groups and fetched alone, in ranges, at its turn.
/// </remarks>
internal sealed class MessagePrefetcher(MailboxSession mailbox, IReadOnlyList<MailboxMessageRef> refs, CancellationToken cancellationToken) : IAsyncDisposable
{
    // Large groups make few round trips (a server answers a pipelined FETCH at full speed); the
    // first group is small so the writer does not wait for a whole large one to start.
    private const int GroupCount = 100;
    private const int FirstGroupCount = 10;
    private const long GroupBytes = 4 * 1024 * 1024;
    private const long ReadyBytes = 8 * 1024 * 1024;

    private readonly HashSet<uint> requested = [];
    private readonly Dictionary<uint, FetchedMessage> downloaded = [];
    private Task<IReadOnlyDictionary<uint, FetchedMessage>>? running;
    private long downloadedBytes;
    private int taken;
    private int planned;

    /// <summary>The messages not taken yet.</summary>
    public int Remaining => refs.Count - taken;

    /// <summary>Whether <see cref="TakeAsync"/> would give the next message without waiting for the server.</summary>
    public bool NextIsDownloaded =>
        taken < refs.Count
        && (downloaded.ContainsKey(refs[taken].Uid) || (running is { IsCompletedSuccessfully: true } && requested.Contains(refs[taken].Uid)));

    /// <summary>
    /// The next message, or why it could not be read. A broken connection (or a \Seen that failed
    /// meanwhile) throws: it stops the pass rather than one message.
    /// </summary>
    public async Task<FetchedMessage> TakeAsync()
    {
        var next = refs[taken];
        await mailbox.ReportFailedSeenAsync();
        await PlanAsync();
        if (requested.Contains(next.Uid))
        {
            await SettleAsync();
        }

        taken++;
        FetchedMessage result;
        if (downloaded.Remove(next.Uid, out var ready))
        {
            downloadedBytes -= next.Size;
            result = ready;
        }
        else
        {
            try
            {
                result = new FetchedMessage(next, await mailbox.FetchAsync(next, cancellationToken), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException && ex is not MailboxException { Transient: true })
            {
                result = new FetchedMessage(next, null, ex);
            }
        }

        // The next ones arrive while this one is written.
        await PlanAsync();
        return result;
    }

    /// <summary>Starts the next group fetch when none runs and there is room for what it brings.</summary>
    private async Task PlanAsync()
    {
        if (running is { IsCompleted: true })
        {
            await SettleAsync();
        }

        if (running is not null || downloaded.Count >= GroupCount || downloadedBytes >= ReadyBytes)
        {
            return;
        }

        // Never behind the message being taken: what lies before it was taken already.
        planned = Math.Max(planned, taken);
        var limit = downloaded.Count == 0 && planned == taken ? FirstGroupCount : GroupCount;
        var group = new List<MailboxMessageRef>();
        long bytes = 0;
        while (planned < refs.Count && group.Count < limit)
        {
            var messageRef = refs[planned];
            if (MailboxSession.IsSmall(messageRef))
            {
                if (group.Count > 0 && bytes + messageRef.Size > GroupBytes)
                {
                    break;
                }

                group.Add(messageRef);
                bytes += messageRef.Size;
            }

            planned++;
        }

        if (group.Count > 0)
        {
            requested.UnionWith(group.Select(r => r.Uid));
            running = mailbox.FetchInBackground(group, cancellationToken);
        }
    }

    /// <summary>Waits for the running group fetch and keeps what it brought.</summary>
    private async Task SettleAsync()
    {
        if (running is not { } group)
        {
            return;
        }

        try
        {
            foreach (var (uid, fetched) in await group)
            {
                downloaded[uid] = fetched;
                downloadedBytes += fetched.Ref.Size;
            }
        }
        catch (MailboxException ex) when (!ex.Transient)
        {
            // Refused as a whole: each is fetched alone, where the refusal lands on the message it concerns.
        }
        finally
        {
            running = null;
            requested.Clear();
        }
    }

    /// <summary>Lets go of the messages downloaded and not taken (the pass stopped), once the running fetch has ended.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await SettleAsync();
        }
        catch (Exception)
        {
            // The pass is over either way; nothing of a failed fetch is kept.
        }

        foreach (var fetched in downloaded.Values)
        {
            if (fetched.Message is not null)
            {
                await fetched.Message.DisposeAsync();
            }
        }

        downloaded.Clear();
    }
}
