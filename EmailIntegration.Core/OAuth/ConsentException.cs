namespace EmailIntegration.Core.OAuth;

/// <summary>A consent that cannot start; the message says why.</summary>
public sealed class ConsentException(string message) : Exception(message);
