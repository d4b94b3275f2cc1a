using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>How the watcher waits for mail (<c>EmailIntegration:Import</c>).</summary>
public sealed class ImportOptions
{
    public const string SectionName = "EmailIntegration:Import";

    /// <summary>Whether accounts are watched and imported at all (off only for maintenance and tests).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>IDLE is restarted this often; servers drop idle connections after about 30 minutes.</summary>
    public TimeSpan IdleRestart { get; set; } = TimeSpan.FromMinutes(9);

    /// <summary>How often a server without IDLE is asked for new mail.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The connection is renewed about this often (each watch a random tenth earlier or later, so many
    /// accounts started together do not all reconnect and import at once), and an OAuth2 session never
    /// outlives its token.
    /// </summary>
    public TimeSpan Reconnect { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>
    /// The most watchers signing in at once. With hundreds of accounts, a start would otherwise begin
    /// every TLS handshake together, and on a busy machine each of them would then take so long that
    /// sign-ins time out and back off instead of finishing one after another.
    /// </summary>
    public int ConcurrentSignIns { get; set; } = 16;

    /// <summary>
    /// The most background jobs (import passes above all) running at once. A pass mostly waits for
    /// the mail server (its own sign-in, then a round trip per command), so with many accounts each
    /// getting a message now and then, passes must overlap for the imports to keep up with the mail.
    /// </summary>
    public int ConcurrentJobs { get; set; } = 32;

    /// <summary>The most messages imported per transaction (one commit and one \Seen command each).</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// A batch ends after this long even when it holds fewer messages, so the write lock is never held
    /// for long (large attachments) and the first messages of a backlog show up soon.
    /// </summary>
    public TimeSpan BatchTime { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between reconnect attempts after errors (doubling from one second).</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest archive (.eml, .mbox, .zip) an admin can upload.</summary>
    public long ArchiveMaxUploadMb { get; set; } = 4096;

    /// <summary>The most entries a zip archive may hold.</summary>
    public int ArchiveMaxEntries { get; set; } = 200_000;

    /// <summary>The most a zip archive may unpack to, all entries together.</summary>
    public long ArchiveMaxUncompressedMb { get; set; } = 16384;
}

/// <summary>
/// Keeps one IDLE connection per account and says when new mail may have arrived; the import
/// itself runs elsewhere (its own connection, its own job). Reconnects with backoff after errors.
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

    private readonly SemaphoreSlim signIns = new(Math.Max(1, options.Value.ConcurrentSignIns));

    public async Task WatchAsync(Guid accountId, Func<CancellationToken, Task> onMail, CancellationToken cancellationToken)
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
                backoff = TimeSpan.FromSeconds(1);
                var opened = clock.GetUtcNow();
                var renewAfter = options.Value.Reconnect * (0.9 + (0.2 * Random.Shared.NextDouble()));
                await onMail(cancellationToken);
                while (clock.GetUtcNow() - opened < renewAfter)
                {
                    await session.WaitForMailAsync(options.Value.IdleRestart, options.Value.PollInterval, cancellationToken);
                    await onMail(cancellationToken);
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

    public void Dispose() => signIns.Dispose();
}
