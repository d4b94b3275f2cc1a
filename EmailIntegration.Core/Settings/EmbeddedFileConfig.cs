namespace EmailIntegration.Core.Settings;

public sealed class EmbeddedFileConfig
{
    public string Limetype { get; set; } = "embeddedfile";
    public string PropertyDocument { get; set; } = "document";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}
