using Microsoft.AspNetCore.Identity;

namespace EmailIntegration.Core.Users;

/// <summary>A person who signs in: an administrator or a member of the support staff.</summary>
public sealed class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>A disabled user cannot sign in; existing sessions end at the next validation.</summary>
    public bool IsDisabled { get; set; }

    public DateTime CreatedUtc { get; set; }
}
