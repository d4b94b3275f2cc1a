namespace EmailIntegration.Core.Conversations;

public sealed record ThreadAttachment(long DocumentId, string Name);
