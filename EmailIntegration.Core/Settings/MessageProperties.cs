namespace EmailIntegration.Core.Settings;

/// <summary>The message values a parent's property can be filled from.</summary>
public static class MessageProperties
{
    public static readonly IReadOnlyList<string> All =
        ["subject", "plainText", "htmlBody", "fromAddress", "fromName", "toAddresses", "ccAddresses", "date", "messageId", "accountAddress", "language"];
}
