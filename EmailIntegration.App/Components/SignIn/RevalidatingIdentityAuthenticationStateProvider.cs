using System.Security.Claims;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace EmailIntegration.App.Components.SignIn;

/// <summary>
/// Re-checks a connected circuit's user every minute, so disabling a user or changing a role
/// also reaches a browser tab that stays open.
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.GetUserAsync(authenticationState.User);
            if (user is null || user.IsDisabled)
            {
                return false;
            }

            var principalStamp = authenticationState.User.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
            return principalStamp == await users.GetSecurityStampAsync(user);
        }
        catch (ObjectDisposedException)
        {
            // The App's services are disposed when it stops during a check; the circuit ends with it.
            // The base class would log this as an error and treat the user as signed out, the same answer.
            return false;
        }
    }
}
