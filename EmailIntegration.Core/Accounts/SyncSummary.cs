namespace EmailIntegration.Core.Accounts;

/// <summary>What "Sync applications &amp; accounts" found and did.</summary>
public sealed record SyncSummary(int Applications, int Accounts, int Connected, IReadOnlyList<string> Problems, int ExpiredConsentsRemoved, int Scheduled);
