using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Persistence;

namespace EmailIntegration.Core.Import;

/// <summary>An archive's batch: its failure records and where it stands, in the batch's transaction.</summary>
internal sealed class ArchiveBatchEnd(
    FailedMessages failed, ImportTarget target, ArchiveSource source, Func<ObjectSession, ArchiveBatch, CancellationToken, Task> save, Action<ArchiveBatch> committed)
    : IBatchEnd
{
    private ArchiveBatch? batch;

    public async Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        var recorded = new List<ArchiveBatchFailure>();
        foreach (var failure in failures)
        {
            var errorId = await failed.RecordAsync(session, target.Account, failure, cancellationToken);
            var index = (int)failure.Ref.Uid - 1;
            recorded.Add(new ArchiveBatchFailure(index, source.Reader.NameOf(index), failure.Reason, failure.Message?.Subject, errorId));
        }

        batch = new ArchiveBatch(source.Position, outcomes.Count(o => o == ImportOutcome.Imported), outcomes.Count(o => o == ImportOutcome.Duplicate),
            failures.Count, recorded);
        await save(session, batch, cancellationToken);
    }

    public Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken)
    {
        committed(batch!);
        return Task.CompletedTask;
    }
}
