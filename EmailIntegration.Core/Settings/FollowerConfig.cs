namespace EmailIntegration.Core.Settings;

public sealed class FollowerConfig
{
    public string Limetype { get; set; } = "follower";
    public string PropertyName { get; set; } = "name";
    public string PropertyAddress { get; set; } = "email";
    public string PropertyParticipationLevel { get; set; } = "participationlevel";
    public string PropertyActive { get; set; } = "active";
    public string PropertySubscribed { get; set; } = "subscribed";
    public string RelationConversation { get; set; } = "conversation";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}
