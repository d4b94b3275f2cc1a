using System.Collections.Frozen;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EmailIntegration.Core.Crm.Schema;

/// <summary>The whole schema at one moment. Names are checked on the way in, so they are safe as SQL identifiers.</summary>
public sealed partial class CrmSchema
{
    /// <summary>System columns every object has, readable and sortable like properties.</summary>
    public const string IdKey = "_id";
    public const string CreatedKey = "_createdtime";
    public const string UpdatedKey = "_timestamp";
    public const string UpdatedByKey = "_updatedby";

    public CrmSchema(IEnumerable<Limetype> limetypes) =>
        Limetypes = limetypes.ToFrozenDictionary(l => l.Name, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, Limetype> Limetypes { get; }

    public Limetype? Find(string limetype) => Limetypes.GetValueOrDefault(limetype);

    public Limetype Get(string limetype) =>
        Find(limetype) ?? throw new CrmException($"Unknown limetype '{limetype}'.");

    public static string TableName(string limetype) => "lt_" + limetype;

    /// <summary>This schema as it would be without a property (and, for a belongs-to, its has-many side): what a removal leaves.</summary>
    public CrmSchema Without(string limetype, string property)
    {
        var removed = Get(limetype).Find(property);
        return new CrmSchema(Limetypes.Values.Select(t => new Limetype(t.Name, t.Label, t.Ordered.Where(p =>
            !(t.Name == limetype && p.Name == property)
            && !(removed?.Type == PropertyType.BelongsTo && t.Name == removed.RelatedLimetype && p.Name == removed.InverseProperty)))));
    }

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    public static bool IsSystemKey(string key) => key is IdKey or CreatedKey or UpdatedKey or UpdatedByKey;

    internal static IReadOnlyList<OptionValue> ParseOptions(string? json) =>
        string.IsNullOrWhiteSpace(json) ? [] : JsonSerializer.Deserialize<List<OptionValue>>(json, JsonOptions) ?? [];

    internal static string SerializeOptions(IEnumerable<OptionValue> options) => JsonSerializer.Serialize(options, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex NamePattern();
}
