namespace EmailIntegration.Core.Notifications;

/// <summary>
/// A reply (or, with <paramref name="Internal"/>, a note that is never emailed). With the agent's user id the
/// agent becomes Responsible of a parent that has none; <paramref name="SetStatus"/> sets the parents' status too.
/// </summary>
public sealed record ReplyRequest(
    long ConversationId, Guid AccountId, string Markdown, IReadOnlyList<string> Recipients, IReadOnlyList<ReplyUpload> Attachments,
    string AgentName, string? AgentAddress, string? AgentUserId = null, bool Internal = false, string? SetStatus = null);
