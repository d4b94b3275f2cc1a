using System.Net;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.App.Security;

public sealed class SetupTests : IDisposable
{
    private readonly AppHost host = new();

    [Fact]
    public async Task While_no_administrator_exists_sign_in_sends_to_setup_and_afterwards_setup_sends_to_sign_in()
    {
        using var session = host.NewSession();

        using (var login = await session.GetAsync("/account/login"))
        {
            Assert.Equal(HttpStatusCode.Found, login.StatusCode);
            Assert.Equal("/setup", login.Headers.Location!.AbsolutePath);
        }

        using (var setup = await session.GetAsync("/setup"))
        {
            Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        }

        await host.CreateUserAsync(Roles.Administrator);

        using var afterwards = await session.GetAsync("/setup");
        Assert.Equal(HttpStatusCode.Found, afterwards.StatusCode);
        Assert.Equal("/account/login", afterwards.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Setup_posted_after_an_administrator_exists_creates_nobody()
    {
        await host.CreateUserAsync(Roles.Administrator);
        using var session = host.NewSession();

        using var response = await session.PostFormAsync("/setup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = "Intruder",
            ["Input.Email"] = "intruder@example.test",
            ["Input.Password"] = AppHost.AdminPassword,
            ["Input.ConfirmPassword"] = AppHost.AdminPassword,
        });

        Assert.DoesNotContain(await host.Users.ListAsync(), u => u.Email == "intruder@example.test");
    }

    public void Dispose() => host.Dispose();
}
