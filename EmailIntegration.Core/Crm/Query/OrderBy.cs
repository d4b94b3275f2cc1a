namespace EmailIntegration.Core.Crm.Query;

public sealed record OrderBy(string Key, bool Descending = false);
