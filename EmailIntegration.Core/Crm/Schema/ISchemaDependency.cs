using EmailIntegration.Core.Persistence;

namespace EmailIntegration.Core.Crm.Schema;

/// <summary>Something outside the schema that names properties (the runtime configuration), asked before a property is removed.</summary>
public interface ISchemaDependency
{
    /// <summary>Where the property is used, in words for the refusal, or null when it is not.</summary>
    Task<string?> BlockingUseAsync(AppDbContext db, CrmSchema schema, string limetype, string propertyName, CancellationToken cancellationToken);
}
