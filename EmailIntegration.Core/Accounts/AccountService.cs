using System.Net.Mail;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Core.Accounts;

public sealed class AccountService(IDbContextFactory<AppDbContext> dbFactory, SecretProtector protector, TimeProvider clock)
{
    /// <summary>Raised after an account is added, changed, deleted or changes state (the watchers follow it).</summary>
    public event Action? Changed;

    /// <summary>
    /// Raised after an account's way in changed: added, a new password, other servers or sign-in, a new
    /// consent. The watcher then connects it again at once (checking it and importing its waiting mail)
    /// instead of waiting out the backoff of the old, failing sign-in.
    /// </summary>
    public event Action<Guid>? CredentialsChanged;

    /// <summary>Says that an account's way in changed (a new consent's tokens are stored by the consent flow).</summary>
    internal void OnCredentialsChanged(Guid accountId) => CredentialsChanged?.Invoke(accountId);

    public async Task<IReadOnlyList<MailAccountSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var accounts = await db.Set<MailAccount>().AsNoTracking().Include(a => a.OAuthApplication).ToListAsync(cancellationToken);
        return accounts.OrderBy(a => a.DisplayName, StringComparer.OrdinalIgnoreCase).Select(Summarize).ToList();
    }

    public async Task<MailAccountSummary?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Set<MailAccount>().AsNoTracking().Include(a => a.OAuthApplication).FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        return account is null ? null : Summarize(account);
    }

    public async Task<SaveResult> SaveAsync(Guid? id, MailAccountInput input, CancellationToken cancellationToken = default)
    {
        var errors = Validate(input, isNew: id is null);
        if (errors.Count > 0)
        {
            return new SaveResult(null, errors);
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var email = input.EmailAddress.Trim();
        if (await db.Set<MailAccount>().AnyAsync(a => a.EmailAddress == email && a.Id != id, cancellationToken))
        {
            return SaveResult.Fail(nameof(input.EmailAddress), $"The account {email} exists already.");
        }

        if (input.Authentication == AccountAuthentication.OAuth2
            && !await db.Set<OAuthApplication>().AnyAsync(a => a.Id == input.OAuthApplicationId, cancellationToken))
        {
            return SaveResult.Fail(nameof(input.OAuthApplicationId), "Choose an OAuth2 application (add one on the OAuth2 Applications tab first).");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        MailAccount? account;
        object? signInBefore = null;
        if (id is null)
        {
            account = new MailAccount { Id = Guid.NewGuid(), CreatedUtc = now, StateChangedUtc = now, State = AccountState.NotAuthenticated };
            db.Add(account);
        }
        else
        {
            account = await db.Set<MailAccount>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
            if (account is null)
            {
                return SaveResult.Fail(nameof(input.EmailAddress), "This account was deleted meanwhile.");
            }

            signInBefore = SignIn(account);

            // A token was granted for one mailbox through one application; another needs a new consent.
            if (!string.Equals(account.EmailAddress, email, StringComparison.OrdinalIgnoreCase)
                || account.OAuthApplicationId != input.OAuthApplicationId || account.Authentication != input.Authentication)
            {
                account.ProtectedTokens = null;
                account.ConsentedBy = null;
                account.State = AccountState.NotAuthenticated;
                account.StateReason = null;
                account.StateChangedUtc = now;
            }
        }

        account.DisplayName = input.DisplayName.Trim();
        account.EmailAddress = email;
        account.Authentication = input.Authentication;
        account.FailureFolder = string.IsNullOrWhiteSpace(input.FailureFolder) ? MailAccount.DefaultFailureFolder : input.FailureFolder.Trim();
        if (input.Authentication == AccountAuthentication.OAuth2)
        {
            account.OAuthApplicationId = input.OAuthApplicationId;
            account.ImapHost = account.SmtpHost = account.UserName = account.ProtectedPassword = null;
            account.ImapPort = account.SmtpPort = null;
        }
        else
        {
            account.OAuthApplicationId = null;
            account.ProtectedTokens = null;
            account.ImapHost = input.Imap!.Host.Trim();
            account.ImapPort = input.Imap.Port;
            account.ImapSecurity = input.Imap.Security;
            account.SmtpHost = input.Smtp!.Host.Trim();
            account.SmtpPort = input.Smtp.Port;
            account.SmtpSecurity = input.Smtp.Security;
            account.UserName = string.IsNullOrWhiteSpace(input.UserName) ? email : input.UserName.Trim();
            if (!string.IsNullOrEmpty(input.Password))
            {
                account.ProtectedPassword = protector.Protect(input.Password);
                account.State = AccountState.NotAuthenticated;
                account.StateReason = "Run Test connection to check the new password.";
                account.StateChangedUtc = now;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        Changed?.Invoke();
        if (signInBefore is null || !string.IsNullOrEmpty(input.Password) || !Equals(signInBefore, SignIn(account)))
        {
            OnCredentialsChanged(account.Id);
        }

        return SaveResult.Ok(account.Id);
    }

    /// <summary>What an account signs in with and where; a change of any of it is a new way in.</summary>
    private static object SignIn(MailAccount a) => (a.EmailAddress, a.Authentication, a.OAuthApplicationId, a.UserName,
        (a.ImapHost, a.ImapPort, a.ImapSecurity), (a.SmtpHost, a.SmtpPort, a.SmtpSecurity));

    public async Task DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await db.Set<MailAccount>().Where(a => a.Id == id).ExecuteDeleteAsync(cancellationToken);
        Changed?.Invoke();
    }

    /// <summary>Records where an account stands; a change of state stamps the time.</summary>
    public async Task SetStateAsync(Guid id, AccountState state, string? reason, bool checkedNow, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var account = await db.Set<MailAccount>().FirstOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var changed = account.State != state;
        if (changed)
        {
            account.StateChangedUtc = now;
        }

        account.State = state;
        account.StateReason = reason;
        if (checkedNow)
        {
            account.LastCheckedUtc = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (changed)
        {
            Changed?.Invoke();
        }
    }

    private static MailAccountSummary Summarize(MailAccount a) => new(
        a.Id, a.DisplayName, a.EmailAddress, a.Authentication, a.OAuthApplicationId, a.OAuthApplication?.Name, a.OAuthApplication?.Provider,
        a.State, a.StateReason, a.StateChangedUtc, a.LastCheckedUtc, a.ConsentedBy, a.ProtectedTokens is not null, a.FailureFolder,
        a.ImapHost is null ? null : new MailServer(a.ImapHost, a.ImapPort ?? 0, a.ImapSecurity),
        a.SmtpHost is null ? null : new MailServer(a.SmtpHost, a.SmtpPort ?? 0, a.SmtpSecurity),
        a.UserName);

    private static Dictionary<string, string> Validate(MailAccountInput input, bool isNew)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.DisplayName))
        {
            errors[nameof(input.DisplayName)] = "Enter the name recipients should see, for example \"Acme Support\".";
        }

        if (!MailAddress.TryCreate(input.EmailAddress?.Trim(), out var address) || address.Address != input.EmailAddress!.Trim())
        {
            errors[nameof(input.EmailAddress)] = "Enter the shared mailbox's address, such as support@example.com.";
        }

        if (input.FailureFolder is { } folder && (folder.Contains('/', StringComparison.Ordinal) || folder.Contains('\\', StringComparison.Ordinal)))
        {
            errors[nameof(input.FailureFolder)] = "Enter a folder name without / or \\ (it is created at the top level of the mailbox).";
        }

        if (input.Authentication == AccountAuthentication.OAuth2)
        {
            if (input.OAuthApplicationId is null)
            {
                errors[nameof(input.OAuthApplicationId)] = "Choose the OAuth2 application this mailbox signs in through.";
            }
        }
        else
        {
            ValidateServer(errors, "Imap", input.Imap, "IMAP");
            ValidateServer(errors, "Smtp", input.Smtp, "SMTP");
            if (isNew && string.IsNullOrEmpty(input.Password))
            {
                errors[nameof(input.Password)] = "Enter the mailbox password.";
            }
        }

        return errors;
    }

    private static void ValidateServer(Dictionary<string, string> errors, string field, MailServer? server, string protocol)
    {
        if (server is null || string.IsNullOrWhiteSpace(server.Host) || Uri.CheckHostName(server.Host.Trim()) == UriHostNameType.Unknown)
        {
            errors[field + "Host"] = $"Enter the {protocol} server's host name, such as mail.example.com.";
        }

        if (server is null || server.Port is < 1 or > 65535)
        {
            errors[field + "Port"] = $"Enter the {protocol} port (1 to 65535).";
        }
    }
}
