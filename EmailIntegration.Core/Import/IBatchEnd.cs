using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Import;

/// <summary>What a batch does besides its messages: in its transaction before the commit, and after the commit.</summary>
internal interface IBatchEnd
{
    Task BeforeCommitAsync(ObjectSession session, IReadOnlyList<ImportOutcome> outcomes, IReadOnlyList<Failure> failures, CancellationToken cancellationToken);

    Task AfterCommitAsync(IReadOnlyList<MailboxMessageRef> done, IReadOnlyList<Failure> failures, CancellationToken cancellationToken);
}
