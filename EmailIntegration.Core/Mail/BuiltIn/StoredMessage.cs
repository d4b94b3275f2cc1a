namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>A message in a built-in mailbox folder: its UID there, its flags, size and arrival time.</summary>
public sealed record StoredMessage(uint Uid, IReadOnlySet<string> Flags, long Size, DateTimeOffset Received, string File)
{
    public bool Seen => Flags.Contains(MailStore.SeenFlag);
}
