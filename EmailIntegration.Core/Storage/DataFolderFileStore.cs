using EmailIntegration.Core.Hosting;

namespace EmailIntegration.Core.Storage;

/// <summary>Files under the data folder's <c>files</c> directory, one folder per month.</summary>
public sealed class DataFolderFileStore(DataFolderOptions dataFolder, TimeProvider clock) : IFileStore
{
    private string Root => Path.Combine(dataFolder.FullDataPath, "files");

    public async Task<string> SaveAsync(string fileName, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var safeName = string.Concat(Path.GetFileName(fileName).Select(c => Path.GetInvalidFileNameChars().Contains(c) || c == '%' ? '_' : c));
        if (safeName.Length > 100)
        {
            safeName = safeName[^100..];
        }

        var key = $"{now:yyyy}/{now:MM}/{Guid.NewGuid():N}/{(safeName.Length == 0 ? "file" : safeName)}";
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await write(file, cancellationToken);
        }
        catch
        {
            // A write that fails (or is stopped at a size limit) leaves nothing behind.
            File.Delete(path);
            throw;
        }

        return key;
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        // A key never leaves the store's folder, whatever a record holds: no "..", no absolute path, no NUL.
        string path;
        try
        {
            path = Path.GetFullPath(Path.Combine(Root, key));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InvalidFileKeyException(ex);
        }

        if (key.Length == 0 || Path.IsPathRooted(key) || !path.StartsWith(Path.GetFullPath(Root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new InvalidFileKeyException(null);
        }

        return path;
    }
}
