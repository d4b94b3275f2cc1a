using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.App.Components.Shared.Filters;

/// <summary>The property (or system key) a path ends on.</summary>
internal sealed record PathEnd(PropertyType Type, LimeProperty? Property)
{
    public bool IsCoworkerRelation => Type == PropertyType.BelongsTo && Property?.RelatedLimetype == "coworker";
}
