namespace EmailIntegration.Core.Crm.Schema;

/// <summary>A refusal with a message for the person who asked: unknown names, wrong types, dependencies.</summary>
public sealed class CrmException(string message) : Exception(message);
