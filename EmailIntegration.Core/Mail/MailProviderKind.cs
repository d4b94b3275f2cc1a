namespace EmailIntegration.Core.Mail;

/// <summary>Which provider's words to use when explaining a failure.</summary>
public enum MailProviderKind
{
    Microsoft,
    Google,
    Other,
}
