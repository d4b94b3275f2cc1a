namespace EmailIntegration.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding EmailIntegration.sln, found from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Screenshots the browser tests take; README pictures are copied from here.</summary>
    public static string Screenshots { get; } = Path.Combine(Root, ".test-results", "screenshots");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EmailIntegration.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EmailIntegration.sln not found above " + AppContext.BaseDirectory);
    }
}
