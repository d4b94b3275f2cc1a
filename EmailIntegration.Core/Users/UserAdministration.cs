using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Users;

/// <summary>
/// Creating and managing the people who sign in. Every call runs in its own DI scope so that a
/// Blazor circuit never holds a DbContext between operations.
/// </summary>
public sealed class UserAdministration(
    IServiceScopeFactory scopeFactory,
    IDbContextFactory<AppDbContext> contextFactory,
    TimeProvider timeProvider,
    ILogger<UserAdministration> logger)
{
    // Note: serializes first-run setup inside one process so two browsers cannot both create
    // "the first" administrator; the re-check inside the lock makes it safe.
    private static readonly SemaphoreSlim SetupLock = new(1, 1);

    public async Task<bool> AdministratorExistsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        return await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Administrator
            select ur).AnyAsync(cancellationToken);
    }

    public async Task<UserOperationResult> CreateFirstAdministratorAsync(
        string email, string displayName, string password, CancellationToken cancellationToken = default)
    {
        await SetupLock.WaitAsync(cancellationToken);
        try
        {
            if (await AdministratorExistsAsync(cancellationToken))
            {
                return UserOperationResult.Fail("An administrator already exists. Sign in instead.");
            }

            var result = await CreateAsync(email, displayName, password, Roles.Administrator, cancellationToken);
            if (result.Succeeded)
            {
                logger.LogInformation("First administrator {Email} created through setup", email);
            }

            return result;
        }
        finally
        {
            SetupLock.Release();
        }
    }

    public async Task<IReadOnlyList<UserSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contextFactory.CreateDbContextAsync(cancellationToken);
        var rolesByUser = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return users.Select(u => new UserSummary(
            u.Id,
            u.Email ?? "",
            u.DisplayName,
            rolesByUser.FirstOrDefault(x => x.UserId == u.Id)?.Name ?? "",
            u.IsDisabled,
            u.LockoutEnd is { } end && end > now,
            u.CreatedUtc)).ToList();
    }

    public async Task<UserOperationResult> CreateAsync(
        string email, string displayName, string password, string role, CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (string.IsNullOrWhiteSpace(email))
        {
            return UserOperationResult.Fail("Enter an email address.");
        }

        if (!Roles.IsKnown(role))
        {
            return UserOperationResult.Fail($"Unknown role '{role}'. Choose {string.Join(" or ", Roles.All)}.");
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return UserOperationResult.Fail($"A user with the email address {email} already exists.");
        }

        var user = new AppUser
        {
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(displayName) ? email : displayName.Trim(),
            CreatedUtc = timeProvider.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            return ToResult(created);
        }

        var added = await users.AddToRoleAsync(user, role);
        if (!added.Succeeded)
        {
            await users.DeleteAsync(user);
            return ToResult(added);
        }

        // Staff are coworkers in the CRM from the start, so "Mine", "$me" and Responsible work before their first reply.
        var store = scope.ServiceProvider.GetRequiredService<ObjectStore>();
        await using (var session = await store.OpenAsync(email, cancellationToken))
        {
            await ConversationUpkeep.CoworkerAsync(session, new AgentIdentity(user.Id, user.DisplayName, email), cancellationToken);
            await session.CommitAsync(cancellationToken);
        }

        logger.LogInformation("User {Email} created with role {Role}", email, role);
        return UserOperationResult.Success;
    }

    public Task<UserOperationResult> ResetPasswordAsync(string userId, string newPassword, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var result = await users.ResetPasswordAsync(user, token, newPassword);
            if (result.Succeeded)
            {
                // A forgotten password is the usual reason for a reset: let the person in at once.
                await users.SetLockoutEndDateAsync(user, null);
                await users.ResetAccessFailedCountAsync(user);
                logger.LogInformation("Password reset for {Email}", user.Email);
            }

            return ToResult(result);
        });

    public Task<UserOperationResult> SetDisabledAsync(string userId, bool disabled, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            if (disabled && await users.IsInRoleAsync(user, Roles.Administrator) && await IsLastActiveAdministratorAsync(users, user))
            {
                return UserOperationResult.Fail("This is the last active administrator. Make another user an administrator first.");
            }

            user.IsDisabled = disabled;
            var result = await users.UpdateAsync(user);
            if (result.Succeeded)
            {
                // A new security stamp ends the user's existing sessions at their next validation.
                await users.UpdateSecurityStampAsync(user);
                logger.LogInformation("User {Email} {State}", user.Email, disabled ? "disabled" : "enabled");
            }

            return ToResult(result);
        });

    public Task<UserOperationResult> ChangeRoleAsync(string userId, string role, CancellationToken cancellationToken = default) =>
        WithUserAsync(userId, async (users, user) =>
        {
            if (!Roles.IsKnown(role))
            {
                return UserOperationResult.Fail($"Unknown role '{role}'. Choose {string.Join(" or ", Roles.All)}.");
            }

            var current = await users.GetRolesAsync(user);
            if (current.Count == 1 && current[0] == role)
            {
                return UserOperationResult.Success;
            }

            if (current.Contains(Roles.Administrator) && await IsLastActiveAdministratorAsync(users, user))
            {
                return UserOperationResult.Fail("This is the last active administrator. Make another user an administrator first.");
            }

            var removed = await users.RemoveFromRolesAsync(user, current);
            if (!removed.Succeeded)
            {
                return ToResult(removed);
            }

            var added = await users.AddToRoleAsync(user, role);
            if (added.Succeeded)
            {
                await users.UpdateSecurityStampAsync(user);
                logger.LogInformation("User {Email} now has role {Role}", user.Email, role);
            }

            return ToResult(added);
        });

    private async Task<UserOperationResult> WithUserAsync(
        string userId, Func<UserManager<AppUser>, AppUser, Task<UserOperationResult>> action)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        return user is null
            ? UserOperationResult.Fail("That user no longer exists. Reload the list.")
            : await action(users, user);
    }

    private static async Task<bool> IsLastActiveAdministratorAsync(UserManager<AppUser> users, AppUser user)
    {
        var admins = await users.GetUsersInRoleAsync(Roles.Administrator);
        return !admins.Any(a => a.Id != user.Id && !a.IsDisabled);
    }

    private static UserOperationResult ToResult(IdentityResult result) =>
        result.Succeeded
            ? UserOperationResult.Success
            : new UserOperationResult(false, result.Errors.Select(e => e.Description).ToList());
}
