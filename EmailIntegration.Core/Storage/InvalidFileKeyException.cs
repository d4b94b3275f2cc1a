namespace EmailIntegration.Core.Storage;

/// <summary>A stored key that cannot name a file of the store (a path outside it, an absolute path, invalid characters).</summary>
public sealed class InvalidFileKeyException(Exception? inner) : ArgumentException("The key does not name a file of the store.", "key", inner);
