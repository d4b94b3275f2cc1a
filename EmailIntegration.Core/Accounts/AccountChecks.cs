using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Accounts;

/// <summary>Connection tests for one account, and the reconciliation of all of them.</summary>
public sealed class AccountChecks(
    IDbContextFactory<AppDbContext> dbFactory,
    AccountService accounts,
    AccountCredentials credentials,
    MailDiagnostics diagnostics,
    SecretProtector protector,
    IOptions<OAuthProviderOptions> providers,
    Import.IImportScheduler scheduler,
    TimeProvider clock,
    ILogger<AccountChecks> logger)
{
    public async Task<AccountCheckResult> TestAsync(Guid accountId, CancellationToken cancellationToken = default)
    {
        var account = await accounts.GetAsync(accountId, cancellationToken)
            ?? throw new InvalidOperationException("The account was deleted.");
        var kind = account.Provider switch
        {
            OAuthProvider.Microsoft => MailProviderKind.Microsoft,
            OAuthProvider.Google => MailProviderKind.Google,
            _ => MailProviderKind.Other,
        };
        var (imap, smtp) = (account.ImapServer(providers.Value), account.SmtpServer(providers.Value));

        var steps = await diagnostics.RunAsync(
            new DiagnosticRequest(account.EmailAddress, imap, smtp, ct => credentials.GetAsync(accountId, false, ct), account.FailureFolder, kind),
            cancellationToken);

        // The credential step may have changed the state (a revoked grant); read it back.
        var current = await accounts.GetAsync(accountId, cancellationToken);
        var failed = steps.FirstOrDefault(s => s.Outcome == DiagnosticOutcome.Failed);
        if (current is null)
        {
            return new AccountCheckResult(steps, AccountState.NotAuthenticated, "The account was deleted.");
        }

        if (failed is null)
        {
            await accounts.SetStateAsync(accountId, AccountState.Connected, null, checkedNow: true, cancellationToken);
            return new AccountCheckResult(steps, AccountState.Connected, null);
        }

        if (current.State is AccountState.ReauthenticationRequired)
        {
            return new AccountCheckResult(steps, current.State, current.StateReason);
        }

        var reason = $"{failed.Name}: {failed.Detail}{(failed.Fix is null ? "" : " " + failed.Fix)}";
        var state = current.HasTokens || account.Authentication == AccountAuthentication.Password ? AccountState.Failing : AccountState.NotAuthenticated;
        await accounts.SetStateAsync(accountId, state, reason, checkedNow: true, cancellationToken);
        return new AccountCheckResult(steps, state, reason);
    }

    /// <summary>
    /// Reconciles stored state after a database restore or move: every secret readable, every
    /// grant refreshed at the provider, every mailbox tested, old unfinished consents removed,
    /// every account's scheduled work registered.
    /// One account's failure never stops the others.
    /// </summary>
    public async Task<SyncSummary> SyncAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        List<OAuthApplication> apps;
        List<Guid> accountIds;
        int expired;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            apps = await db.Set<OAuthApplication>().AsNoTracking().ToListAsync(cancellationToken);
            accountIds = await db.Set<MailAccount>().Select(a => a.Id).ToListAsync(cancellationToken);
            var now = clock.GetUtcNow().UtcDateTime;
            expired = await db.Set<OAuthConsent>().Where(c => c.ExpiresUtc < now).ExecuteDeleteAsync(cancellationToken);
        }

        // Saved before tenant ids were checked (or written to the database by hand): said here, not left to fail at consent.
        foreach (var app in apps.Where(a => a.Provider == OAuthProvider.Microsoft))
        {
            if (OAuthApplicationService.TenantIdProblem(app.TenantId) is { } tenantProblem)
            {
                problems.Add($"Application \"{app.Name}\": {tenantProblem}");
            }
        }

        foreach (var app in apps.Where(a => protector.TryUnprotect(a.ProtectedClientSecret) is null))
        {
            problems.Add($"Application \"{app.Name}\": the client secret cannot be read here (the key ring of the data folder was not moved with the database). Enter the secret again.");
        }

        var connected = 0;
        foreach (var id in accountIds)
        {
            var account = await accounts.GetAsync(id, cancellationToken);
            if (account is null)
            {
                continue;
            }

            try
            {
                if (account.Authentication == AccountAuthentication.OAuth2 && account.HasTokens && account.State != AccountState.ReauthenticationRequired)
                {
                    await credentials.GetAsync(id, forceRefresh: true, cancellationToken);
                }
            }
            catch (MailCredentialException)
            {
                // Recorded on the account by the credential step; the test below reports it.
            }

            var result = account.Authentication == AccountAuthentication.OAuth2 && !account.HasTokens
                ? new AccountCheckResult([], AccountState.NotAuthenticated, "Not authenticated yet.")
                : await TestAsync(id, cancellationToken);
            if (result.State == AccountState.Connected)
            {
                connected++;
            }
            else
            {
                problems.Add($"{account.EmailAddress}: {result.Reason ?? result.State.ToString()}");
            }
        }

        // Every account's import job and watcher registered again, and none left for deleted ones.
        var scheduled = await scheduler.RegisterAllAsync(cancellationToken);
        logger.LogInformation("Synchronized {Applications} applications and {Accounts} accounts: {Connected} connected, {Problems} problems, {Scheduled} scheduled",
            apps.Count, accountIds.Count, connected, problems.Count, scheduled);
        return new SyncSummary(apps.Count, accountIds.Count, connected, problems, expired, scheduled);
    }
}
