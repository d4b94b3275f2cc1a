using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmailIntegration.Core.Persistence;

/// <summary>
/// The explicit start-up step that brings the database to the current schema. It runs once,
/// before the App accepts requests, and logs what it does so an admin can see it.
/// </summary>
public sealed class DatabaseInitializer(
    IDbContextFactory<AppDbContext> contextFactory,
    IServiceScopeFactory scopeFactory,
    SchemaService schema,
    Inbox.InboxBackfill inboxBackfill,
    Hosting.KeyRingOptions keyRing,
    Hosting.DataFolderOptions dataFolder,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Migrations, the default CRM schema and the roles: everything the App needs before it serves.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (!keyRing.Protected)
        {
            logger.LogWarning(
                "The key ring in {KeyRing} is not encrypted at rest: whoever can read the data folder can read the stored secrets. " +
                "Set EmailIntegration:KeyRing:CertificatePath (and CertificatePassword) to protect it with a certificate; see the README",
                dataFolder.KeyRingPath);
        }

        await MigrateAsync(cancellationToken);
        await EnsureRolesAsync(cancellationToken);
    }

    /// <summary>The committed migrations, the default CRM schema and what a migration left to fill in it, without anything of sign-in.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using (var db = await contextFactory.CreateDbContextAsync(cancellationToken))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count == 0)
            {
                logger.LogInformation("Database is up to date ({DataSource})", db.Database.GetDbConnection().DataSource);
            }
            else
            {
                logger.LogInformation(
                    "Applying {Count} database migration(s) to {DataSource}: {Migrations}",
                    pending.Count, db.Database.GetDbConnection().DataSource, string.Join(", ", pending));
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database migrations applied");
            }

            // Note: WAL lets the ticket list read while an import writes; the setting is stored in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }

        await schema.EnsureDefaultSchemaAsync(cancellationToken);
        await inboxBackfill.RunIfPendingAsync(cancellationToken);
    }

    private async Task EnsureRolesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var roleManager = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            if (!await roleManager.RoleExistsAsync(role))
            {
                var result = await roleManager.CreateAsync(new IdentityRole(role));
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(
                        $"Could not create the role {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
                }

                logger.LogInformation("Created role {Role}", role);
            }
        }
    }
}
