namespace EmailIntegration.Core.Settings;

public sealed class DocumentConfig
{
    public string Limetype { get; set; } = "document";
    public string PropertyComment { get; set; } = "comment";
    public string PropertyType { get; set; } = "type";
    public string DocumentType { get; set; } = "other";
    public string PropertyDocument { get; set; } = "document";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}
