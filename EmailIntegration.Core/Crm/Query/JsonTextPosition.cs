namespace EmailIntegration.Core.Crm.Query;

/// <summary>A place in JSON text, both counted from 1, as editors count them.</summary>
public readonly record struct JsonTextPosition(int Line, int Column);
