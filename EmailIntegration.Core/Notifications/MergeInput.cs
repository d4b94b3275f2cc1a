namespace EmailIntegration.Core.Notifications;

/// <summary>Everything one email's merge values are made from.</summary>
public sealed record MergeInput(
    TemplateKind Kind,
    NotificationEventKind Event,
    string Subject,
    Participant Account,
    Participant Author,
    IReadOnlyList<Participant> Followers,
    IReadOnlyList<Participant> Recipients,
    IReadOnlyList<Participant> Audience,
    IReadOnlyList<ThreadEntry> Thread);
