namespace EmailIntegration.Core.Import;

/// <summary>What a handler created, and anything worth a line in the import log.</summary>
public sealed record HandlerResult(long? ConversationId, long? MessageRecordId, IReadOnlyList<string> Notes);
