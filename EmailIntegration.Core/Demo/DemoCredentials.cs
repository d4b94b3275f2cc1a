namespace EmailIntegration.Core.Demo;

/// <summary>The sign-ins a demo install made, shown once to whoever started it.</summary>
public sealed record DemoCredentials(string AdminEmail, string AdminPassword, string SupportEmail, string SupportPassword);
