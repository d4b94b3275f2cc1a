namespace EmailIntegration.Core.Notifications;

public sealed record Participant(string Address, string? Name)
{
    public string Display => string.IsNullOrWhiteSpace(Name) ? Address : Name;
}
