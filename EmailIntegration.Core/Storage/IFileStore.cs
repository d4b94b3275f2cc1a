namespace EmailIntegration.Core.Storage;

/// <summary>
/// Where attachment and raw message bytes live. The database keeps only the key, so the bytes
/// can move to shared or object storage without touching records.
/// </summary>
public interface IFileStore
{
    /// <summary>Stores the bytes <paramref name="write"/> produces and returns their key.</summary>
    Task<string> SaveAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>The stored bytes, or null when there are none; a key that cannot be the store's throws <see cref="InvalidFileKeyException"/>.</summary>
    Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
