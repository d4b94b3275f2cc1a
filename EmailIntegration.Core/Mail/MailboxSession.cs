using EmailIntegration.Core.Security;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// One IMAP connection to one mailbox's INBOX, used by one import at a time (MailKit clients
/// are not thread-safe). Everything outside Mail/ sees only the product's own types.
/// </summary>
public sealed class MailboxSession : IAsyncDisposable
{
    private readonly ImapClient client;
    private readonly string spoolFolder;

    private MailboxSession(ImapClient client, string spoolFolder)
    {
        this.client = client;
        this.spoolFolder = spoolFolder;
    }

    public bool SupportsIdle => client.Capabilities.HasFlag(ImapCapabilities.Idle);

    public static Task<MailboxSession> OpenAsync(
        MailServer server, MailCredential credential, TlsOptions tls, string spoolFolder, CancellationToken cancellationToken) =>
        Guard(() => OpenCoreAsync(server, credential, tls, spoolFolder, cancellationToken), $"Connecting to {server}");

    private static async Task<MailboxSession> OpenCoreAsync(
        MailServer server, MailCredential credential, TlsOptions tls, string spoolFolder, CancellationToken cancellationToken)
    {
        var client = new ImapClient { Timeout = 60_000 };
        client.ServerCertificateValidationCallback = (_, certificate, _, errors) => tls.Validate(certificate, errors);
        try
        {
            await client.ConnectAsync(server.Host, server.Port, server.Security.SocketOptions(), cancellationToken);
            await client.AuthenticateAsync(credential.IsOAuthToken
                ? new SaslMechanismOAuth2(credential.UserName, credential.Secret)
                : new SaslMechanismPlain(credential.UserName, credential.Secret), cancellationToken);
            await client.Inbox.OpenAsync(FolderAccess.ReadWrite, cancellationToken);
            Directory.CreateDirectory(spoolFolder);
            return new MailboxSession(client, spoolFolder);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Every message in INBOX without \Seen, oldest first.</summary>
    public Task<IReadOnlyList<MailboxMessageRef>> ListUnseenAsync(CancellationToken cancellationToken) =>
        Exclusive(() => ListUnseenCoreAsync(cancellationToken), "Listing unseen mail");

    private async Task<IReadOnlyList<MailboxMessageRef>> ListUnseenCoreAsync(CancellationToken cancellationToken)
    {
        var inbox = client.Inbox;
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
    /// Downloads a message (without setting \Seen) and parses it: taken from the prefetched ones when
    /// it is among them, else fetched alone (in memory when small, to a spool file when large).
    /// </summary>
    public async Task<IncomingMessage> FetchAsync(MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        // A \Seen that failed meanwhile stops the pass here; one still running is not waited for.
        await SettleSeenAsync(wait: false);
        if (prefetching.Contains(messageRef.Uid))
        {
            await SettlePrefetchAsync();
        }

        if (prefetched.Remove(messageRef.Uid, out var fetched))
        {
            PrefetchedBytes -= messageRef.Size;
            return fetched.Message ?? throw fetched.Error!;
        }

        return await Exclusive(() => FetchCoreAsync(messageRef, cancellationToken), $"Fetching message {messageRef.MailboxId}");
    }

    // Background work on the connection, in order: the one fetch that may be running, the messages
    // it asked for, what earlier ones brought, and \Seen flags still being set.
    private Task<IReadOnlyDictionary<uint, FetchedMessage>>? prefetch;
    private readonly HashSet<uint> prefetching = [];
    private readonly Dictionary<uint, FetchedMessage> prefetched = [];
    private readonly List<Task> seen = [];
    private Task tail = Task.CompletedTask;

    /// <summary>Whether a background fetch is running (one at a time: the connection carries one command).</summary>
    public bool PrefetchRunning => prefetch is not null;

    /// <summary>The bytes of prefetched messages not taken yet.</summary>
    public long PrefetchedBytes { get; private set; }

    /// <summary>The prefetched messages not taken yet.</summary>
    public int PrefetchedCount => prefetched.Count;

    /// <summary>Whether <see cref="FetchAsync"/> would return this message without waiting for the server.</summary>
    public bool IsDownloaded(MailboxMessageRef messageRef) =>
        prefetched.ContainsKey(messageRef.Uid) || (prefetch is { IsCompletedSuccessfully: true } && prefetching.Contains(messageRef.Uid));

    /// <summary>
    /// Starts fetching these small messages with one command in the background, so the caller can
    /// work on earlier ones meanwhile; <see cref="FetchAsync"/> then takes them. Any other use of the
    /// connection waits for it first. A refused command leaves each to be fetched alone; a broken
    /// connection surfaces at the next use.
    /// </summary>
    public void StartPrefetch(IReadOnlyList<MailboxMessageRef> messageRefs, CancellationToken cancellationToken)
    {
        if (prefetch is not null)
        {
            throw new InvalidOperationException("A prefetch is already running.");
        }

        if (messageRefs.Count == 0)
        {
            return;
        }

        prefetching.UnionWith(messageRefs.Select(r => r.Uid));
        prefetch = After(tail, () => Guard(() => FetchManyCoreAsync(messageRefs, cancellationToken), $"Fetching {messageRefs.Count} messages"));
        tail = prefetch;
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
        tail = After(tail, () => Guard(async () =>
        {
            await client.Inbox.AddFlagsAsync(uids, MessageFlags.Seen, silent: true, cancellationToken);
            return true;
        }, $"Marking {uids.Count} messages seen"));
        seen.Add(tail);
    }

    /// <summary>Waits for all background work on the connection and reports a failed \Seen.</summary>
    public async Task FlushAsync()
    {
        await SettlePrefetchAsync();
        await SettleSeenAsync(wait: true);
    }

    /// <summary>Runs an operation once the one before it on the connection is done, whatever its outcome.</summary>
    private static async Task<T> After<T>(Task previous, Func<Task<T>> operation)
    {
        try
        {
            await previous;
        }
        catch (Exception)
        {
            // Reported by whoever waits for it; a broken connection fails this operation too.
        }

        return await operation();
    }

    /// <summary>Waits for the background fetch and keeps what it brought.</summary>
    private async Task SettlePrefetchAsync()
    {
        if (prefetch is { } running)
        {
            try
            {
                foreach (var (uid, fetched) in await running)
                {
                    prefetched[uid] = fetched;
                    PrefetchedBytes += fetched.Ref.Size;
                }
            }
            catch (MailboxException ex) when (!ex.Transient)
            {
                // Refused as a whole: each is fetched alone, where the refusal lands on the message it concerns.
            }
            finally
            {
                prefetch = null;
                prefetching.Clear();
            }
        }
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

    private async Task<T> Exclusive<T>(Func<Task<T>> action, string what)
    {
        await FlushAsync();
        return await Guard(action, what);
    }

    /// <summary>Messages up to this size are parsed in memory; larger ones are spooled to disk first.</summary>
    private const long InMemoryLimit = 1024 * 1024;

    /// <summary>Whether a message is small enough to be fetched together with others and parsed in memory.</summary>
    public static bool IsSmall(MailboxMessageRef messageRef) => messageRef.Size is > 0 and <= InMemoryLimit;

    /// <summary>
    /// Fetches several small messages with one command (one round trip instead of one each, \Seen
    /// left alone) and parses each. A message that cannot be parsed carries its error; one the server
    /// did not return is missing from the result.
    /// </summary>
    private async Task<IReadOnlyDictionary<uint, FetchedMessage>> FetchManyCoreAsync(IReadOnlyList<MailboxMessageRef> messageRefs, CancellationToken cancellationToken)
    {
        if (messageRefs.Any(r => !IsSmall(r)))
        {
            throw new ArgumentException("Only small messages are fetched together; a large one is fetched alone in ranges.", nameof(messageRefs));
        }

        var wanted = messageRefs.ToDictionary(r => r.Uid);
        var fetched = new Dictionary<uint, FetchedMessage>();
        try
        {
            // Note: GetStreams fetches BODY.PEEK[], so \Seen stays unset until the commit.
            await ((ImapFolder)client.Inbox).GetStreamsAsync(messageRefs.Select(r => new UniqueId(r.Uid)).ToList(), async (_, _, uid, stream, token) =>
            {
                if (!wanted.TryGetValue(uid.Id, out var messageRef) || fetched.ContainsKey(uid.Id))
                {
                    return;
                }

                // The stream is MailKit's and is disposed when this returns; the parse keeps its own copy.
                var memory = new MemoryStream((int)messageRef.Size);
                await stream.CopyToAsync(memory, token);
                memory.Position = 0;
                try
                {
                    fetched[uid.Id] = new FetchedMessage(messageRef, await MessageReader.ReadAsync(memory, messageRef, token), null);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Said as a single fetch says it, so the failure record reads the same.
                    fetched[uid.Id] = new FetchedMessage(messageRef, null, ex is FormatException
                        ? new MailboxException($"Fetching message {messageRef.MailboxId}: {ex.Message}", transient: false, ex)
                        : ex);
                }
            }, cancellationToken);
        }
        catch
        {
            foreach (var message in fetched.Values)
            {
                if (message.Message is not null)
                {
                    await message.Message.DisposeAsync();
                }
            }

            throw;
        }

        return fetched;
    }

    private const int FetchChunk = 1024 * 1024;

    private async Task<IncomingMessage> FetchCoreAsync(MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        if (messageRef.Size is > 0 and <= InMemoryLimit)
        {
            var memory = new MemoryStream((int)messageRef.Size);
            // Note: BODY.PEEK[] (GetStream) leaves \Seen alone; it is set only after the commit.
            await using (var source = await client.Inbox.GetStreamAsync(new UniqueId(messageRef.Uid), string.Empty, cancellationToken))
            {
                await source.CopyToAsync(memory, cancellationToken);
            }

            memory.Position = 0;
            return await MessageReader.ReadAsync(memory, messageRef, cancellationToken);
        }

        var path = Path.Combine(spoolFolder, $"{Guid.NewGuid():N}.eml");
        try
        {
            // Note: MailKit holds a fetched literal in memory, so a large message is fetched in
            // partial ranges (BODY.PEEK[]<offset.count>, \Seen left alone) and never whole.
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                var offset = 0;
                while (true)
                {
                    await using var part = await client.Inbox.GetStreamAsync(new UniqueId(messageRef.Uid), offset, FetchChunk, cancellationToken);
                    var before = file.Length;
                    await part.CopyToAsync(file, cancellationToken);
                    var read = (int)(file.Length - before);
                    offset += read;
                    if (read < FetchChunk)
                    {
                        break;
                    }
                }
            }

            return await MessageReader.ReadAsync(path, messageRef, cancellationToken);
        }
        catch
        {
            File.Delete(path);
            throw;
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
    /// </summary>
    public Task WaitForMailAsync(TimeSpan maximum, TimeSpan pollInterval, CancellationToken cancellationToken) =>
        Exclusive(async () =>
        {
            await WaitCoreAsync(maximum, pollInterval, cancellationToken);
            return true;
        }, "Waiting for new mail");

    private async Task WaitCoreAsync(TimeSpan maximum, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        if (!SupportsIdle)
        {
            await client.NoOpAsync(cancellationToken);
            await Task.Delay(pollInterval, cancellationToken);
            return;
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
    }

    /// <summary>MailKit's failures as <see cref="MailboxException"/>, so nothing outside Mail/ sees its types.</summary>
    private static async Task<T> Guard<T>(Func<Task<T>> action, string what)
    {
        try
        {
            return await action();
        }
        catch (AuthenticationException ex)
        {
            throw new MailboxException($"{what}: the server refused the sign-in ({ex.Message}).", transient: false, ex);
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or ImapProtocolException
            or ServiceNotConnectedException or ServiceNotAuthenticatedException or SslHandshakeException)
        {
            throw new MailboxException($"{what}: {ex.Message}", transient: true, ex);
        }
        catch (Exception ex) when (ex is ImapCommandException or FolderNotFoundException or MessageNotFoundException or FormatException)
        {
            throw new MailboxException($"{what}: {ex.Message}", transient: false, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync();
        }
        catch (Exception)
        {
            // Closing anyway: failed background work must not keep the connection open; what a fetch brought is let go below.
        }

        foreach (var fetched in prefetched.Values)
        {
            if (fetched.Message is not null)
            {
                await fetched.Message.DisposeAsync();
            }
        }

        prefetched.Clear();
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or ImapProtocolException or OperationCanceledException or ImapCommandException)
        {
            // The connection is gone either way.
        }
        finally
        {
            client.Dispose();
        }
    }
}

/// <summary>A message fetched together with others: parsed, or the reason it could not be.</summary>
public sealed record FetchedMessage(MailboxMessageRef Ref, IncomingMessage? Message, Exception? Error);

/// <summary>
/// A mailbox operation failed. Transient: the connection broke (reconnect and go on); otherwise the
/// server refused this one thing.
/// </summary>
public sealed class MailboxException(string message, bool transient, Exception? inner = null) : Exception(message, inner)
{
    public bool Transient { get; } = transient;
}
