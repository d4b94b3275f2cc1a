namespace EmailIntegration.Core.Users;

public sealed record UserSummary(
    string Id,
    string Email,
    string DisplayName,
    string Role,
    bool IsDisabled,
    bool IsLockedOut,
    DateTime CreatedUtc);
