namespace EmailIntegration.Core.Settings;

/// <summary>One problem in a runtime configuration: where (a JSON path) and what is wrong.</summary>
public sealed record ConfigurationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
