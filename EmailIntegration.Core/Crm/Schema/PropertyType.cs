namespace EmailIntegration.Core.Crm.Schema;

/// <summary>The kinds of property a limetype can have.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names admins see for property types.")]
public enum PropertyType
{
    Text,
    Integer,
    Decimal,
    YesNo,
    Time,
    /// <summary>One key of a fixed list of options, each with a label.</summary>
    Option,
    /// <summary>A reference to stored bytes (a document or an embedded file).</summary>
    File,
    /// <summary>A relation to one object of another limetype; stored as a foreign key.</summary>
    BelongsTo,
    /// <summary>The inverse side of a belongs-to: every object that points here. Not stored.</summary>
    HasMany,
}
