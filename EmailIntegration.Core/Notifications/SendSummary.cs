namespace EmailIntegration.Core.Notifications;

public sealed record SendSummary(int Sent, int Retrying, int Failed);
