using System.Reflection;

namespace EmailIntegration.Core.Views;

/// <summary>One of the configuration files that ship in wwwroot-assets/config.</summary>
public sealed record ShippedFile(string FileName, string Title, string Description)
{
    public string Text()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("config/" + FileName)
            ?? throw new InvalidOperationException($"The shipped file {FileName} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
