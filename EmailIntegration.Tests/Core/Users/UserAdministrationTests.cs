using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Users;

/// <summary>The rules of user management, through the real service on a real SQLite file.</summary>
public sealed class UserAdministrationTests : IDisposable
{
    private readonly AppHost host = new();

    private UserAdministration Users => host.Users;

    [Fact]
    public async Task Setup_creates_the_first_administrator_once_and_refuses_a_second()
    {
        Assert.False(await Users.AdministratorExistsAsync());

        var first = await Users.CreateFirstAdministratorAsync("first@example.test", "First", AppHost.AdminPassword);
        var second = await Users.CreateFirstAdministratorAsync("second@example.test", "Second", AppHost.AdminPassword);

        Assert.True(first.Succeeded, first.ErrorText);
        Assert.False(second.Succeeded);
        Assert.Contains("already exists", second.ErrorText, StringComparison.Ordinal);
        Assert.True(await Users.AdministratorExistsAsync());
        Assert.Single(await Users.ListAsync());
    }

    [Fact]
    public async Task Concurrent_setups_create_exactly_one_administrator()
    {
        var attempts = Enumerable.Range(0, 5).Select(i =>
            Users.CreateFirstAdministratorAsync($"admin{i}@example.test", $"Admin {i}", AppHost.AdminPassword));

        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.Single(await Users.ListAsync());
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_a_message_that_says_what_to_fix()
    {
        var result = await Users.CreateAsync("weak@example.test", "Weak", "short", Roles.Support);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Contains("at least 10 characters", StringComparison.Ordinal));
        Assert.Empty(await Users.ListAsync());
    }

    [Fact]
    public async Task A_second_user_with_the_same_email_is_refused()
    {
        await host.CreateUserAsync(Roles.Support, "same@example.test");

        var result = await Users.CreateAsync("SAME@example.test", "Again", AppHost.SupportPassword, Roles.Support);

        Assert.False(result.Succeeded);
        Assert.Contains("already exists", result.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_role_is_refused()
    {
        var result = await Users.CreateAsync("x@example.test", "X", AppHost.SupportPassword, "Owner");

        Assert.False(result.Succeeded);
        Assert.Contains("Unknown role 'Owner'", result.ErrorText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_last_active_administrator_cannot_be_disabled_or_demoted()
    {
        await host.CreateUserAsync(Roles.Administrator, "only@example.test");
        var admin = (await Users.ListAsync()).Single();

        var disable = await Users.SetDisabledAsync(admin.Id, true);
        var demote = await Users.ChangeRoleAsync(admin.Id, Roles.Support);

        Assert.False(disable.Succeeded);
        Assert.False(demote.Succeeded);
        Assert.Contains("last active administrator", disable.ErrorText, StringComparison.Ordinal);
        var after = (await Users.ListAsync()).Single();
        Assert.Equal(Roles.Administrator, after.Role);
        Assert.False(after.IsDisabled);
    }

    [Fact]
    public async Task An_administrator_can_be_demoted_when_another_one_remains()
    {
        await host.CreateUserAsync(Roles.Administrator, "a1@example.test");
        await host.CreateUserAsync(Roles.Administrator, "a2@example.test");
        var a1 = (await Users.ListAsync()).Single(u => u.Email == "a1@example.test");

        var result = await Users.ChangeRoleAsync(a1.Id, Roles.Support);

        Assert.True(result.Succeeded, result.ErrorText);
        Assert.Equal(Roles.Support, (await Users.ListAsync()).Single(u => u.Email == "a1@example.test").Role);
    }

    [Fact]
    public async Task Disabling_and_enabling_a_user_is_shown_in_the_list()
    {
        await host.CreateUserAsync(Roles.Support, "s@example.test");
        var user = (await Users.ListAsync()).Single();

        Assert.True((await Users.SetDisabledAsync(user.Id, true)).Succeeded);
        Assert.True((await Users.ListAsync()).Single().IsDisabled);
        Assert.True((await Users.SetDisabledAsync(user.Id, false)).Succeeded);
        Assert.False((await Users.ListAsync()).Single().IsDisabled);
    }

    [Fact]
    public async Task An_operation_on_a_user_that_no_longer_exists_says_so()
    {
        var result = await Users.ResetPasswordAsync("missing-id", AppHost.AdminPassword);

        Assert.False(result.Succeeded);
        Assert.Contains("no longer exists", result.ErrorText, StringComparison.Ordinal);
    }

    public void Dispose() => host.Dispose();
}
