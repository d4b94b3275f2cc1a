namespace EmailIntegration.Core.Notifications;

public sealed record OutboxRow(
    Guid Id, Guid AccountId, OutboxKind Kind, OutboxState State, string Subject, string Recipients, int Attempts,
    DateTime CreatedUtc, DateTime NextAttemptUtc, DateTime? SentUtc, string? LastError, long? ConversationId);
