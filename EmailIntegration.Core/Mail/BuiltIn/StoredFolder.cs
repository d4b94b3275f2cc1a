namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>A folder's identity and its messages in UID order.</summary>
public sealed record StoredFolder(string Name, uint UidValidity, uint UidNext, IReadOnlyList<StoredMessage> Messages);
