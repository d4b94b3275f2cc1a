namespace EmailIntegration.Core.Crm.Schema;

public static class PropertyTypeExtensions
{
    public static bool IsRelation(this PropertyType type) => type is PropertyType.BelongsTo or PropertyType.HasMany;

    public static bool IsStored(this PropertyType type) => type != PropertyType.HasMany;
}
