using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Users;

/// <summary>Adds the display name to the sign-in cookie so the UI can greet the user without a query.</summary>
public sealed class AppUserClaimsPrincipalFactory(
    UserManager<AppUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(userManager, roleManager, options)
{
    public const string DisplayNameClaim = "display_name";

    /// <summary>The name a signed-in person is shown by: the display name, else the sign-in name.</summary>
    public static string DisplayName(ClaimsPrincipal user) =>
        user.FindFirst(DisplayNameClaim)?.Value ?? user.Identity?.Name ?? "";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName));
        return identity;
    }
}
