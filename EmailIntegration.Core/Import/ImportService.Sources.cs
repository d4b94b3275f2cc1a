using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Import;

/// <summary>What a batch takes its messages from and what it does around its commit: a mailbox's or an archive's.</summary>
public sealed partial class ImportService
{
    /// <summary>Where a batch's messages come from: a mailbox's messages taken ahead, or an archive's entries.</summary>
    private interface IMessageSource
    {
        /// <summary>The messages not taken yet.</summary>
        int Remaining { get; }

        Task<Fetched> TakeAsync();
    }

    /// <summary>What a batch does besides its messages: in its transaction before the commit, and after the commit.</summary>
    private interface IBatchEnd
    {
        Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken);

        Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken);
    }

    /// <summary>A mailbox's batch: \Seen and the failure records with the move to the failure folder, after the commit.</summary>
    private sealed class MailboxBatchEnd(ImportService service, Pass pass) : IBatchEnd
    {
        public Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken) =>
            Task.CompletedTask;

        public async Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
        {
            // Note: only now, after the commit. A crash before the flags are set leaves the mail unseen
            // and the next pass finds it imported (a dedupe hit) and only marks it. They are set in the
            // background, so the next batch is written meanwhile; the pass ends by waiting for them.
            pass.Mailbox.MarkSeenInBackground(done.ToList(), cancellationToken);
            foreach (var failure in failures)
            {
                await service.FailAsync(pass, failure, cancellationToken);
            }
        }
    }
}
