using System.Security.Claims;
using EmailIntegration.Core.Users;

namespace EmailIntegration.Core.Conversations;

/// <summary>A signed-in staff member acting on a conversation: their user id, name and email address.</summary>
public sealed record AgentIdentity(string UserId, string Name, string? Email)
{
    /// <summary>The agent a signed-in user is: the user id, the display name (else the sign-in name), and the sign-in name when it is an address.</summary>
    public static AgentIdentity From(ClaimsPrincipal user) => new(
        user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "",
        user.FindFirst(AppUserClaimsPrincipalFactory.DisplayNameClaim)?.Value ?? user.Identity?.Name ?? "Support",
        user.Identity?.Name is { } name && name.Contains('@') ? name : null);
}
