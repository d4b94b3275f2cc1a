using System.Reflection;
using System.Security.Claims;
using EmailIntegration.App.Components.SignIn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Tests.App.Security;

/// <summary>The minute-by-minute check of an open circuit's user, when the App stops under it.</summary>
public sealed class RevalidationTests
{
    [Fact]
    public async Task A_check_that_meets_the_App_stopping_ends_as_signed_out_without_an_error()
    {
        var services = new ServiceCollection().BuildServiceProvider();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        // The App stopped: its services are disposed while a circuit's check is due.
        await services.DisposeAsync();
        using var provider = new RevalidatingIdentityAuthenticationStateProvider(
            NullLoggerFactory.Instance, scopes, Options.Create(new IdentityOptions()));
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "someone")], "test"));

        // The framework calls this protected check from its revalidation loop.
        var validate = typeof(RevalidatingIdentityAuthenticationStateProvider)
            .GetMethod("ValidateAuthenticationStateAsync", BindingFlags.Instance | BindingFlags.NonPublic)!;
        var valid = await (Task<bool>)validate.Invoke(provider, [new AuthenticationState(user), CancellationToken.None])!;

        Assert.False(valid);
    }
}
