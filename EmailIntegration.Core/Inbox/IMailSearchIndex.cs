using EmailIntegration.Core.Crm.Objects;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// The full-text index of conversation messages, written in the transaction that stores the
/// message, so a committed message is searchable at once.
/// </summary>
public interface IMailSearchIndex
{
    Task AddAsync(ObjectSession session, long messageId, long conversationId, MailSearchText text, CancellationToken cancellationToken);
}
