namespace EmailIntegration.Core.Conversations;

public sealed record ConversationThread(
    long Id, string? Subject, DateTime? EarliestUnread, IReadOnlyList<ThreadMessage> Messages, IReadOnlyList<ThreadFollower> Followers, string? AccountAddress = null);
