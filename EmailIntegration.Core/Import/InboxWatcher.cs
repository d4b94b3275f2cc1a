using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>
/// Keeps one IDLE connection per account and hands it to the import when new mail may have arrived:
/// the pass runs over the connection that saw the mail, its INBOX already selected, so a message costs
/// no sign-in of its own. Reconnects with backoff after errors.
/// </summary>
public sealed class InboxWatcher(
    AccountService accounts,
    AccountChecks checks,
    AccountCredentials credentials,
    IOptions<OAuthProviderOptions> providers,
    IOptions<TlsOptions> tls,
    IOptions<ImportOptions> options,
    DataFolderOptions dataFolder,
    TimeProvider clock,
    ILogger<InboxWatcher> logger) : IDisposable
{
    /// <summary>Marks the reasons the watcher records.</summary>
    private const string ReasonPrefix = "Watching the inbox: ";

    /// <summary>The first wait before a failed pass is tried again over the same connection; it doubles up to <see cref="ImportOptions.IdleRestart"/>.</summary>
    private static readonly TimeSpan RetryAfterFailedPass = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim signIns = new(Math.Max(1, options.Value.ConcurrentSignIns));
    private readonly SemaphoreSlim passes = new(Math.Max(1, options.Value.ConcurrentPasses));

    /// <param name="onMail">One import pass over the connection; says whether it ended without an error.</param>
    public async Task WatchAsync(Guid accountId, Func<MailboxSession, CancellationToken, Task<bool>> onMail, CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromSeconds(1);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var account = await accounts.GetAsync(accountId, cancellationToken);
                if (account is null)
                {
                    return;
                }

                await using var session = await SignInAsync(account, cancellationToken);
                var opened = clock.GetUtcNow();
                var renewAfter = options.Value.Reconnect * (0.9 + (0.2 * Random.Shared.NextDouble()));
                // How long until a failed pass is tried again, mail or not (the mail it left unseen was already
                // reported); null while passes succeed.
                TimeSpan? retry = null;
                TimeSpan? After(bool succeeded) => succeeded ? null
                    : retry is { } last ? TimeSpan.FromTicks(Math.Min(last.Ticks * 2, options.Value.IdleRestart.Ticks))
                    : RetryAfterFailedPass;

                retry = After(await ImportAsync(accountId, session, onMail, cancellationToken));
                while (clock.GetUtcNow() - opened < renewAfter)
                {
                    await session.WaitForMailAsync(retry ?? options.Value.IdleRestart, options.Value.PollInterval, cancellationToken);

                    // The connection carried a wait: only now is the sign-in known good. Reset earlier, a pass
                    // that breaks the connection every time (one message the server cannot send) would sign in
                    // again every second.
                    backoff = TimeSpan.FromSeconds(1);
                    retry = After(await ImportAsync(accountId, session, onMail, cancellationToken));
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MailboxException or MailCredentialException)
            {
                if (ex is MailboxException { Transient: false })
                {
                    // The server refused (a changed password, a disabled mailbox): the admin must see it.
                    await accounts.SetStateAsync(accountId, AccountState.Failing, ReasonPrefix + ex.Message, checkedNow: true, CancellationToken.None);
                }

                logger.LogInformation("Watching account {Account} paused for {Backoff}: {Reason}", accountId, backoff, ex.Message);
                try
                {
                    await Task.Delay(backoff, clock, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>
    /// One import pass over the watch's connection, a few accounts at a time. A pass that fails for a reason
    /// of its own (the database, say) is logged and the watch goes on, and tries again soon. A broken
    /// connection shows at the next wait, which reconnects.
    /// </summary>
    private async Task<bool> ImportAsync(Guid accountId, MailboxSession session, Func<MailboxSession, CancellationToken, Task<bool>> onMail, CancellationToken cancellationToken)
    {
        await passes.WaitAsync(cancellationToken);
        try
        {
            return await onMail(session, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogError(ex, "Import of account {Account} failed; the watch goes on", accountId);
            return false;
        }
        finally
        {
            passes.Release();
        }
    }

    /// <summary>Opens the watch's connection (and checks an account that signs in again), a few accounts at a time.</summary>
    private async Task<MailboxSession> SignInAsync(MailAccountSummary account, CancellationToken cancellationToken)
    {
        await signIns.WaitAsync(cancellationToken);
        try
        {
            var credential = await credentials.GetAsync(account.Id, false, cancellationToken);
            var session = await MailboxSession.OpenAsync(account.ImapServer(providers.Value), credential, tls.Value, Path.Combine(dataFolder.FullDataPath, "spool"), cancellationToken);
            try
            {
                if (account.State != AccountState.Connected)
                {
                    await CheckAsync(account.Id, cancellationToken);
                }
            }
            catch
            {
                await session.DisposeAsync();
                throw;
            }

            return session;
        }
        finally
        {
            signIns.Release();
        }
    }

    /// <summary>
    /// The account signs in again (a new password or consent, the server back): its whole connection
    /// (IMAP and SMTP) is tested now, so its state says so at once rather than after Test connection.
    /// </summary>
    private async Task CheckAsync(Guid accountId, CancellationToken cancellationToken)
    {
        try
        {
            var result = await checks.TestAsync(accountId, cancellationToken);
            logger.LogInformation("Account {Account} signs in again; checked: {State}", accountId, result.State);
        }
        catch (InvalidOperationException ex)
        {
            // Deleted meanwhile: the watcher stops at its next turn.
            logger.LogInformation("Account {Account} could not be checked: {Reason}", accountId, ex.Message);
        }
    }

    public void Dispose()
    {
        signIns.Dispose();
        passes.Dispose();
    }
}
