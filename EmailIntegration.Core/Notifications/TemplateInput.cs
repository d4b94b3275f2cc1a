namespace EmailIntegration.Core.Notifications;

public sealed record TemplateInput(string Name, TemplateKind Kind, Guid? AccountId, string? Language, string Html);
