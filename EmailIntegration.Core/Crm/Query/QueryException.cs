namespace EmailIntegration.Core.Crm.Query;

/// <summary>A filter that cannot be translated; the message names its JSON path.</summary>
public sealed class QueryException(string path, string message) : Exception($"{path}: {message}")
{
    public string Path { get; } = path;
}
