using System.Net;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.App.Security;

/// <summary>Sign-in over real HTTP: the static form, its antiforgery token, cookies and redirects.</summary>
public sealed class SignInTests : IAsyncLifetime, IDisposable
{
    private readonly AppHost host = new();

    // Sign-in is offered once an administrator exists; before that every visitor is sent to setup.
    public Task InitializeAsync() => host.CreateUserAsync(Roles.Administrator);

    public Task DisposeAsync() => Task.CompletedTask;

    private string Local(HttpResponseMessage response) =>
        new Uri(host.BaseUri, response.Headers.Location!).ToString();

    private string Url(string path) => new Uri(host.BaseUri, path).ToString();

    [Fact]
    public async Task The_right_password_signs_in_and_opens_the_start_page()
    {
        var email = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();

        using var signIn = await session.SignInAsync(email, AppHost.SupportPassword);
        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal(Url("/"), Local(signIn));

        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Contains("Start", await start.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_clear_message()
    {
        var email = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();

        using var signIn = await session.SignInAsync(email, "Not-The-Password-1");

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("The email or the password is not right.", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_user_even_against_the_right_password_until_an_admin_resets_it()
    {
        var email = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await session.SignInAsync(email, "Not-The-Password-1");
        }

        using var locked = await session.SignInAsync(email, AppHost.SupportPassword);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("Too many failed attempts", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await host.Users.ListAsync()).Single(u => u.Email == email).IsLockedOut);

        var user = (await host.Users.ListAsync()).Single(u => u.Email == email);
        Assert.True((await host.Users.ResetPasswordAsync(user.Id, "Brand-New-Password-2")).Succeeded);
        using var again = await session.SignInAsync(email, "Brand-New-Password-2");
        Assert.Equal(HttpStatusCode.Found, again.StatusCode);
    }

    [Fact]
    public async Task A_disabled_user_cannot_sign_in()
    {
        var email = await host.CreateUserAsync(Roles.Support);
        var user = (await host.Users.ListAsync()).Single(u => u.Email == email);
        Assert.True((await host.Users.SetDisabledAsync(user.Id, true)).Succeeded);
        using var session = host.NewSession();

        using var signIn = await session.SignInAsync(email, AppHost.SupportPassword);

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("This user is disabled", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example")]
    public async Task Sign_in_never_redirects_off_site(string returnUrl)
    {
        var email = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();

        using var signIn = await session.PostFormAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = AppHost.SupportPassword });

        Assert.Equal(HttpStatusCode.Found, signIn.StatusCode);
        Assert.Equal(Url("/"), Local(signIn));
    }

    [Fact]
    public async Task Sign_in_returns_to_the_page_that_asked_for_it()
    {
        var email = await host.CreateUserAsync(Roles.Administrator);
        using var session = host.NewSession();

        using var signIn = await session.PostFormAsync("/account/login?returnUrl=%2Fsettings%2Fusers",
            new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = AppHost.AdminPassword });

        Assert.Equal(Url("/settings/users"), Local(signIn));
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_is_refused()
    {
        var email = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();
        using var _ = await session.SignInAsync(email, AppHost.SupportPassword);

        // A cross-site form post carries the cookie but cannot know the token.
        using var forged = await session.PostRawAsync("/account/logout", new Dictionary<string, string> { ["returnUrl"] = "/" });

        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var start = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_shows_only_its_own_messages_never_text_from_the_link()
    {
        using var session = host.NewSession();

        using var crafted = await session.GetAsync("/account/login?error=" + Uri.EscapeDataString("Your account is closed. Call +1 555 0100."));
        using var known = await session.GetAsync("/account/login?error=NoUser");

        Assert.DoesNotContain("Call +1 555 0100", await crafted.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("There is no user for this Microsoft account here.", await known.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    public void Dispose() => host.Dispose();
}
