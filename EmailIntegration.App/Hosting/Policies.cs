namespace EmailIntegration.App.Hosting;

/// <summary>The authorization policies pages and endpoints name.</summary>
internal static class Policies
{
    public const string Administrator = "Administrator";

    /// <summary>Pages and endpoints under a <c>{limetype}</c> route: admin-only limetypes for administrators only.</summary>
    public const string LimetypeRead = "LimetypeRead";
}
