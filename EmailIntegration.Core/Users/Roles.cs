namespace EmailIntegration.Core.Users;

public static class Roles
{
    public const string Administrator = "Administrator";
    public const string Support = "Support";

    public static readonly IReadOnlyList<string> All = [Administrator, Support];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
