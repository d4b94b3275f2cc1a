namespace EmailIntegration.Core.Settings;

public sealed class ConversationMessageConfig
{
    public string Limetype { get; set; } = "conversationmessage";
    public string PropertyMessage { get; set; } = "message";
    public string PropertyEmailEngineId { get; set; } = "emailengineid";
    public string PropertyUniqueId { get; set; } = "uniqueid";
    public string PropertyEmailId { get; set; } = "emailid";
    public string PropertyDate { get; set; } = "date";
    public string PropertySource { get; set; } = "source";
    public string RelationConversation { get; set; } = "conversation";
}
