namespace EmailIntegration.Core.Inbox;

/// <summary>
/// A list of conversation parents (the runtime configuration names them; tickets with the guide's
/// example): the relation from a record to its conversations, and whether it keeps a last activity.
/// </summary>
public sealed record InboxList(string Limetype, string ConversationPath, bool KeepsLastActivity);
