using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Import;

/// <summary>A mailbox's batch: \Seen, and the failure records with the move to the failure folder, after the commit.</summary>
internal sealed class MailboxBatchEnd(FailedMessages failed, MailAccountSummary account, MailboxSession mailbox) : IBatchEnd
{
    public Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken) =>
        Task.CompletedTask;

    public async Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        // Note: only now, after the commit. A crash before the flags are set leaves the mail unseen
        // and the next pass finds it imported (a dedupe hit) and only marks it. They are set in the
        // background, so the next batch is written meanwhile; the pass ends by waiting for them.
        mailbox.MarkSeenInBackground(done.ToList(), cancellationToken);
        foreach (var failure in failures)
        {
            await failed.FailAsync(account, mailbox, failure, cancellationToken);
        }
    }
}
