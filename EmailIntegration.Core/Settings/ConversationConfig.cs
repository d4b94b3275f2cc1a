namespace EmailIntegration.Core.Settings;

public sealed class ConversationConfig
{
    public string Limetype { get; set; } = "conversation";
    public string PropertyThreadId { get; set; } = "threadid";
    public string PropertyReplyToId { get; set; } = "replytoid";
    public string PropertyEarliestUnread { get; set; } = "earliestunread";
    public string PropertySubject { get; set; } = "subject";
    public string PropertyAddress { get; set; } = "email";
    public string PropertyFirstMessageDate { get; set; } = "firstmessagedate";
    public string PropertyLanguage { get; set; } = "language";
    public string PropertySource { get; set; } = "source";
    public string SourceOption { get; set; } = "email";
}
