namespace EmailIntegration.Core.Crm.Schema;

public sealed record OptionValue(string Key, string Label);
