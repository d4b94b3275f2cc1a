using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;

namespace EmailIntegration.Core.Import;

/// <summary>An archive's entries in order, the next one read on another thread while one is written.</summary>
internal sealed class ArchiveSource(ArchiveReader reader, int from, AttachmentStorage attachments, ApplicationConfiguration application, CancellationToken cancellationToken)
    : IMessageSource
{
    private Task<Fetched>? ahead;

    /// <summary>The entries taken so far: the position a committed batch saves.</summary>
    public int Position { get; private set; } = from;

    public int Remaining => reader.Count - Position;

    public ArchiveReader Reader => reader;

    public async Task<Fetched> TakeAsync()
    {
        var current = ahead ?? ReadAsync(Position);
        ahead = null;
        var fetched = await current;
        Position++;
        if (Position < reader.Count)
        {
            var next = Position;
            ahead = Task.Run(() => ReadAsync(next), cancellationToken);
        }

        return fetched;
    }

    private async Task<Fetched> ReadAsync(int index)
    {
        var entry = await reader.ReadAsync(index, cancellationToken);
        return entry.Message is { } message
            ? attachments.Prepare(message, application, cancellationToken)
            : new Fetched(reader.RefOf(index)) { Error = entry.Error };
    }

    public async Task DiscardAsync(IFileStore files)
    {
        if (ahead is { } left)
        {
            ahead = null;
            try
            {
                await (await left).DiscardAsync(files);
            }
            catch (Exception)
            {
                // Read ahead and not taken: nothing of it was imported, whatever went wrong.
            }
        }
    }
}
