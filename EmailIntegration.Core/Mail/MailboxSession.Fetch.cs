using MailKit;
using MailKit.Net.Imap;

namespace EmailIntegration.Core.Mail;

/// <summary>Downloading messages without setting \Seen: several small ones with one command, a large one alone in ranges.</summary>
public sealed partial class MailboxSession
{
    /// <summary>Messages up to this size are parsed in memory; larger ones are spooled to disk first.</summary>
    private const long InMemoryLimit = 1024 * 1024;

    private const int FetchChunk = 1024 * 1024;

    /// <summary>Whether a message is small enough to be fetched together with others and parsed in memory.</summary>
    public static bool IsSmall(MailboxMessageRef messageRef) => messageRef.Size is > 0 and <= InMemoryLimit;

    /// <summary>Downloads one message (without setting \Seen) and parses it: in memory when small, from a spool file when large.</summary>
    public Task<IncomingMessage> FetchAsync(MailboxMessageRef messageRef, CancellationToken cancellationToken) =>
        Exclusive(() => FetchCoreAsync(messageRef, cancellationToken), $"Fetching message {messageRef.MailboxId}");

    /// <summary>
    /// Starts fetching these small messages with one command in the background, after what the
    /// connection is doing now, so the caller works on earlier ones meanwhile. A message that cannot
    /// be parsed carries its error; one the server did not return is missing from the result.
    /// </summary>
    internal Task<IReadOnlyDictionary<uint, FetchedMessage>> FetchInBackground(IReadOnlyList<MailboxMessageRef> messageRefs, CancellationToken cancellationToken) =>
        InBackground(() => FetchManyCoreAsync(messageRefs, cancellationToken), $"Fetching {messageRefs.Count} messages");

    /// <summary>Reports a \Seen that failed meanwhile (it stops the pass) without waiting for one still running.</summary>
    internal Task ReportFailedSeenAsync() => SettleSeenAsync(wait: false);

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

    private async Task<IncomingMessage> FetchCoreAsync(MailboxMessageRef messageRef, CancellationToken cancellationToken)
    {
        if (IsSmall(messageRef))
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
}
