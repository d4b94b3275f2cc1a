using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// Sends due outbox rows over each account's SMTP, one connection per account per pass. A row is
/// claimed (Sending) before it goes out and marked Sent after, so it is never sent twice; a
/// transient failure retries with doubling delays, a 5xx reply fails it at once.
/// </summary>
public sealed class OutboxSender(
    IDbContextFactory<AppDbContext> dbFactory,
    AccountService accounts,
    AccountCredentials credentials,
    IFileStore files,
    IOptions<OAuthProviderOptions> providers,
    IOptions<TlsOptions> tls,
    IOptions<OutboxOptions> options,
    TimeProvider clock,
    ILogger<OutboxSender> logger)
{
    public const string Interrupted =
        "Sending was interrupted (the application stopped mid-send), so it may or may not have been delivered. Resend it if the recipient did not get it.";

    private readonly AccountLocks gates = new();

    /// <summary>
    /// Rows whose claim is older than the lease: their sender stopped mid-send. Sending them again
    /// could deliver twice, so they become failed with a reason and an admin decides. A live
    /// sender on another node is never touched (its claim is younger than the lease).
    /// </summary>
    public async Task<int> ReleaseInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var expired = clock.GetUtcNow().UtcDateTime - options.Value.ClaimLease;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var released = await db.Set<OutboxMessage>().Where(o => o.State == OutboxState.Sending && (o.ClaimedUtc == null || o.ClaimedUtc < expired)).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, OutboxState.Failed)
            .SetProperty(o => o.LastError, Interrupted), cancellationToken);
        if (released > 0)
        {
            logger.LogWarning("{Count} outgoing messages were interrupted mid-send; they are marked failed for an admin to resend", released);
        }

        return released;
    }

    public async Task<SendSummary> SendDueAsync(CancellationToken cancellationToken = default)
    {
        await ReleaseInterruptedAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        List<Guid> accountIds;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            accountIds = await db.Set<OutboxMessage>()
                .Where(o => (o.State == OutboxState.Queued || o.State == OutboxState.Retrying) && o.NextAttemptUtc <= now)
                .Select(o => o.AccountId).Distinct().ToListAsync(cancellationToken);
        }

        var total = new SendSummary(0, 0, 0);
        foreach (var accountId in accountIds)
        {
            using (await gates.AcquireAsync(accountId, cancellationToken))
            {
                var summary = await SendForAccountAsync(accountId, cancellationToken);
                total = new SendSummary(total.Sent + summary.Sent, total.Retrying + summary.Retrying, total.Failed + summary.Failed);
            }
        }

        return total;
    }

    private async Task<SendSummary> SendForAccountAsync(Guid accountId, CancellationToken cancellationToken)
    {
        int sent = 0, retrying = 0, failed = 0;
        var account = await accounts.GetAsync(accountId, cancellationToken);
        SmtpSender? sender = null;
        try
        {
            while (true)
            {
                List<OutboxMessage> due;
                await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    due = await db.Set<OutboxMessage>().AsNoTracking().Include(o => o.Recipients)
                        .Where(o => o.AccountId == accountId && (o.State == OutboxState.Queued || o.State == OutboxState.Retrying) && o.NextAttemptUtc <= now)
                        .OrderBy(o => o.CreatedUtc).Take(100).ToListAsync(cancellationToken);
                }

                if (due.Count == 0)
                {
                    break;
                }

                if (account is null)
                {
                    foreach (var row in due)
                    {
                        failed += await FinishAsync(row.Id, OutboxState.Retrying, OutboxState.Failed, "The sending account was deleted.", cancellationToken) ? 1 : 0;
                    }

                    continue;
                }

                if (sender is not { IsConnected: true })
                {
                    if (sender is not null)
                    {
                        await sender.DisposeAsync();
                        sender = null;
                    }

                    try
                    {
                        var credential = await credentials.GetAsync(accountId, false, cancellationToken);
                        sender = await SmtpSender.OpenAsync(account.SmtpServer(providers.Value), credential, tls.Value, cancellationToken);
                    }
                    catch (Exception ex) when (ex is MailSendException or MailCredentialException)
                    {
                        // The server or the sign-in is the problem: every due row of the account waits for the next try.
                        foreach (var row in due)
                        {
                            if (await RetryAsync(row, claimed: false, ex.Message, cancellationToken))
                            {
                                retrying++;
                            }
                            else
                            {
                                failed++;
                            }
                        }

                        logger.LogWarning("Outbox of {Account}: cannot send now: {Reason}", account.EmailAddress, ex.Message);
                        break;
                    }
                }

                foreach (var row in due)
                {
                    if (!await ClaimAsync(row.Id, cancellationToken))
                    {
                        // Another sender took it, or an admin changed it.
                        continue;
                    }

                    SendReceipt receipt;
                    try
                    {
                        receipt = await sender.SendAsync(ToOutgoing(row), cancellationToken);
                    }
                    catch (MailSendException ex) when (ex.Failure == SendFailure.Transient)
                    {
                        if (await RetryAsync(row, claimed: true, ex.Message, CancellationToken.None))
                        {
                            retrying++;
                        }
                        else
                        {
                            failed++;
                        }

                        logger.LogWarning("Outbox message {Id} not sent, will retry: {Reason}", row.Id, ex.Message);
                        if (!sender.IsConnected)
                        {
                            break;
                        }

                        continue;
                    }
                    catch (MailSendException ex)
                    {
                        // Refused for good, or possibly delivered already: never retried by itself.
                        await FinishAsync(row.Id, OutboxState.Sending, OutboxState.Failed, ex.Message, CancellationToken.None);
                        failed++;
                        if (!sender.IsConnected)
                        {
                            break;
                        }

                        continue;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Anything unforeseen fails this row with its reason; the others still go.
                        logger.LogError(ex, "Outbox message {Id} could not be sent", row.Id);
                        await FinishAsync(row.Id, OutboxState.Sending, OutboxState.Failed, $"{ex.GetType().Name}: {ex.Message}", CancellationToken.None);
                        failed++;
                        continue;
                    }

                    await FinishAsync(row.Id, OutboxState.Sending, OutboxState.Sent,
                        receipt.RefusalReason is null ? null : $"Sent; refused by the server for {receipt.RefusalReason}", CancellationToken.None);
                    sent++;
                }

                if (sender is not { IsConnected: true })
                {
                    // The connection broke: leave the rest for the next pass, after their delay.
                    break;
                }
            }
        }
        finally
        {
            if (sender is not null)
            {
                await sender.DisposeAsync();
            }
        }

        return new SendSummary(sent, retrying, failed);
    }

    private OutgoingMessage ToOutgoing(OutboxMessage row) => new()
    {
        From = new MessageAddress(row.FromAddress, row.FromName),
        To = row.Recipients.OrderBy(r => r.Id).Select(r => new MessageAddress(r.Address, r.Name)).ToList(),
        Subject = row.Subject,
        Html = row.Html,
        MessageId = row.MessageId,
        InReplyTo = row.InReplyTo,
        References = (row.References ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        AutoSubmitted = row.AutoSubmitted,
        Date = clock.GetUtcNow(),
        Attachments = (row.Attachments ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('|', 2))
            .Select(parts => new OutgoingAttachment(parts.Length > 1 ? parts[1] : "attachment", ct => files.OpenAsync(parts[0], ct)))
            .ToList(),
    };

    private async Task<bool> ClaimAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var claimed = await db.Set<OutboxMessage>()
            .Where(o => o.Id == id && (o.State == OutboxState.Queued || o.State == OutboxState.Retrying))
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Sending)
                .SetProperty(o => o.ClaimedUtc, clock.GetUtcNow().UtcDateTime)
                .SetProperty(o => o.Attempts, o => o.Attempts + 1), cancellationToken);
        return claimed == 1;
    }

    /// <summary>Moves a row on only from the state this sender expects, so nothing another sender did is overwritten.</summary>
    private async Task<bool> FinishAsync(Guid id, OutboxState expected, OutboxState state, string? reason, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<OutboxMessage>().Where(o => o.Id == id);
        query = expected == OutboxState.Sending
            ? query.Where(o => o.State == OutboxState.Sending)
            : query.Where(o => o.State == OutboxState.Queued || o.State == OutboxState.Retrying);
        var changed = await query.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, state)
            .SetProperty(o => o.SentUtc, o => state == OutboxState.Sent ? clock.GetUtcNow().UtcDateTime : o.SentUtc)
            .SetProperty(o => o.LastError, reason), cancellationToken);
        if (state == OutboxState.Failed && changed == 1)
        {
            logger.LogWarning("Outbox message {Id} failed: {Reason}", id, reason);
        }

        return changed == 1;
    }

    /// <summary>Plans the next attempt; false when the attempts are used up and the row failed instead.</summary>
    private async Task<bool> RetryAsync(OutboxMessage row, bool claimed, string reason, CancellationToken cancellationToken)
    {
        // The row was read before its claim, so this is the attempt just made, claimed or not.
        var attempts = row.Attempts + 1;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.Set<OutboxMessage>().Where(o => o.Id == row.Id);
        query = claimed
            ? query.Where(o => o.State == OutboxState.Sending)
            : query.Where(o => o.State == OutboxState.Queued || o.State == OutboxState.Retrying);
        if (attempts >= options.Value.MaxAttempts)
        {
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(o => o.State, OutboxState.Failed)
                .SetProperty(o => o.Attempts, attempts)
                .SetProperty(o => o.LastError, $"Gave up after {attempts} attempts: {reason}"), cancellationToken);
            return false;
        }

        var next = clock.GetUtcNow().UtcDateTime + options.Value.RetryDelayFor(attempts);
        await query.ExecuteUpdateAsync(s => s
            .SetProperty(o => o.State, OutboxState.Retrying)
            .SetProperty(o => o.Attempts, attempts)
            .SetProperty(o => o.NextAttemptUtc, next)
            .SetProperty(o => o.LastError, reason), cancellationToken);
        return true;
    }
}
