namespace EmailIntegration.Core.Notifications;

public sealed record ReplyResult(long? MessageRecordId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
