namespace EmailIntegration.Core.Settings;

public sealed class MessageFollowerConfig
{
    public string Limetype { get; set; } = "messagefollower";
    public string PropertyParticipationLevel { get; set; } = "participationlevel";
    public string PropertyMessageId { get; set; } = "messageid";
    public string PropertyQueueId { get; set; } = "queueid";
    public string RelationFollower { get; set; } = "follower";
    public string RelationConversationMessage { get; set; } = "conversationmessage";
}
