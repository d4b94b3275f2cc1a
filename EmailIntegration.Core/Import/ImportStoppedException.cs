namespace EmailIntegration.Core.Import;

/// <summary>An import pass cannot start (a deleted account, an unknown handler); the message says what to fix.</summary>
public sealed class ImportStoppedException(string message) : Exception(message);
