namespace EmailIntegration.Core.Settings;

public sealed class ConversationParentConfig
{
    public string Limetype { get; set; } = "";

    public List<string> Accounts { get; set; } = [];

    public string RelationConversation { get; set; } = "conversation";

    public string? RelationDocument { get; set; }

    public List<ParentPropertyConfig> Properties { get; set; } = [];
}
