using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.OAuth;

public sealed class OAuthApplicationService(IDbContextFactory<AppDbContext> dbFactory, SecretProtector protector, TimeProvider clock)
{
    private static readonly string[] SharedTenants = ["common", "organizations", "consumers"];

    // A verified domain of a directory: dot-separated DNS labels ending in a top-level domain of letters.
    private static readonly System.Text.RegularExpressions.Regex DomainName = new(
        @"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// What is wrong with a Microsoft Directory (tenant) ID, in words that say what to enter, or null when it
    /// is one: a GUID, or a verified domain name of the directory (contoso.onmicrosoft.com, example.com).
    /// </summary>
    public static string? TenantIdProblem(string? tenantId)
    {
        var tenant = tenantId?.Trim() ?? "";
        if (tenant.Length == 0)
        {
            return "Enter the Directory (tenant) ID from the app registration's overview page.";
        }

        if (SharedTenants.Contains(tenant, StringComparer.OrdinalIgnoreCase))
        {
            return $"\"{tenant}\" is not one directory. Enter the Directory (tenant) ID of the customer's directory.";
        }

        return Guid.TryParse(tenant, out _) || DomainName.IsMatch(tenant)
            ? null
            : $"\"{tenant}\" is not a Directory (tenant) ID. Enter the GUID from the app registration's overview page " +
              "(such as 72f988bf-86f1-41af-91ab-2d7cd011db47), or a verified domain of the directory such as contoso.onmicrosoft.com.";
    }

    public async Task<IReadOnlyList<OAuthApplicationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var apps = await db.Set<OAuthApplication>().AsNoTracking().ToListAsync(cancellationToken);
        var counts = await db.Set<MailAccount>().Where(a => a.OAuthApplicationId != null)
            .GroupBy(a => a.OAuthApplicationId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key!.Value, g => g.Count, cancellationToken);
        return apps.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .Select(a => new OAuthApplicationSummary(a.Id, a.Name, a.Provider, a.TenantId, a.ClientId, a.RedirectUrl,
                a.SecretExpiresOn, a.SecretUpdatedUtc, counts.GetValueOrDefault(a.Id), SecretExpiry.Evaluate(a.SecretExpiresOn, today)))
            .ToList();
    }

    /// <summary>Secrets that expire within the warning window or have expired, for the start page.</summary>
    public async Task<IReadOnlyList<OAuthApplicationSummary>> ExpiryWarningsAsync(CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).Where(a => a.Expiry.Level != SecretExpiryLevel.Ok).ToList();

    public async Task<SaveResult> SaveAsync(Guid? id, OAuthApplicationInput input, CancellationToken cancellationToken = default)
    {
        var errors = Validate(input, isNew: id is null);
        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = input.Name.Trim();
        if (await db.Set<OAuthApplication>().AnyAsync(a => a.Name == name && a.Id != id, cancellationToken))
        {
            return SaveResult.Fail(nameof(input.Name), $"An application named \"{name}\" exists already.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        OAuthApplication? app;
        if (id is null)
        {
            app = new OAuthApplication { Id = Guid.NewGuid(), CreatedUtc = now };
            db.Add(app);
        }
        else
        {
            app = await db.Set<OAuthApplication>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (app is null)
            {
                return SaveResult.Fail(nameof(input.Name), "This application was deleted meanwhile.");
            }

            if (app.Provider != input.Provider && await db.Set<MailAccount>().AnyAsync(a => a.OAuthApplicationId == id, cancellationToken))
            {
                return SaveResult.Fail(nameof(input.Provider), "The type cannot change while accounts sign in through this application.");
            }
        }

        app.Name = name;
        app.Provider = input.Provider;
        app.TenantId = input.Provider == OAuthProvider.Microsoft ? input.TenantId?.Trim() : null;
        app.ClientId = input.ClientId.Trim();
        app.RedirectUrl = input.RedirectUrl.Trim();
        app.SecretExpiresOn = input.SecretExpiresOn;
        app.UpdatedUtc = now;
        if (!string.IsNullOrWhiteSpace(input.ClientSecret))
        {
            // Rotation: the accounts' refresh tokens stay valid; the next refresh uses the new secret.
            app.ProtectedClientSecret = protector.Protect(input.ClientSecret.Trim());
            app.SecretUpdatedUtc = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        return SaveResult.Ok(app.Id);
    }

    public async Task<SaveResult> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Set<MailAccount>().Where(a => a.OAuthApplicationId == id).Select(a => a.EmailAddress).ToListAsync(cancellationToken);
        if (accounts.Count > 0)
        {
            return SaveResult.Fail("Application",
                $"Accounts sign in through this application: {string.Join(", ", accounts)}. Delete them or move them to another application first.");
        }

        await db.Set<OAuthApplication>().Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
        return SaveResult.Ok(id);
    }

    private static Dictionary<string, string> Validate(OAuthApplicationInput input, bool isNew)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            errors[nameof(input.Name)] = "Enter a name, for example \"Support mailboxes\".";
        }

        if (string.IsNullOrWhiteSpace(input.ClientId))
        {
            errors[nameof(input.ClientId)] = input.Provider == OAuthProvider.Microsoft
                ? "Enter the Application (client) ID from the app registration's overview page."
                : "Enter the client id of the OAuth client (it ends in .apps.googleusercontent.com).";
        }
        else if (input.Provider == OAuthProvider.Microsoft && !Guid.TryParse(input.ClientId.Trim(), out _))
        {
            errors[nameof(input.ClientId)] = "The Application (client) ID is a GUID such as 00000000-0000-0000-0000-000000000000.";
        }

        if (input.Provider == OAuthProvider.Microsoft)
        {
            if (TenantIdProblem(input.TenantId) is { } problem)
            {
                errors[nameof(input.TenantId)] = problem;
            }
        }

        if (isNew && string.IsNullOrWhiteSpace(input.ClientSecret))
        {
            errors[nameof(input.ClientSecret)] = "Enter the client secret's value (shown once when it was created).";
        }

        if (!Uri.TryCreate(input.RedirectUrl?.Trim(), UriKind.Absolute, out var redirect) || (redirect.Scheme != Uri.UriSchemeHttps && redirect.Scheme != Uri.UriSchemeHttp))
        {
            errors[nameof(input.RedirectUrl)] = $"Enter the full redirect URL registered at the provider, such as https://crm.example.com{OAuthProviderOptions.RedirectPath}.";
        }
        else if (!redirect.AbsolutePath.Equals(OAuthProviderOptions.RedirectPath, StringComparison.OrdinalIgnoreCase))
        {
            errors[nameof(input.RedirectUrl)] = $"The redirect URL must end in {OAuthProviderOptions.RedirectPath}: that is where this product receives the consent.";
        }
        else if (redirect.Scheme == Uri.UriSchemeHttp && !redirect.IsLoopback)
        {
            errors[nameof(input.RedirectUrl)] = "Providers accept http only for localhost. Use the https address of this server.";
        }

        return errors;
    }
}
