using System.Globalization;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.App.Components.Pages.Objects;

/// <summary>How objects are named and shown in lists and cards.</summary>
internal static class ObjectDisplay
{
    /// <summary>The property that names an object: name or subject; a file's comment (its file name); else the id.</summary>
    public static string TitleKey(Limetype limetype) =>
        limetype.Find("name") is { Type: PropertyType.Text } ? "name"
        : limetype.Find("subject") is { Type: PropertyType.Text } ? "subject"
        : limetype.Find("comment") is { Type: PropertyType.Text } && limetype.Ordered.Any(p => p.Type == PropertyType.File) ? "comment"
        : CrmSchema.IdKey;

    /// <summary>
    /// Properties the import and replies keep (thread ids, Message-IDs, unread state, the stored HTML): shown
    /// read-only on a card, since an edit by hand would break threading or the unread marker.
    /// </summary>
    public static IReadOnlySet<string> KeptByIntegration(Core.Settings.RuntimeConfiguration c, string limetype)
    {
        // Last activity moves with every message, on the conversation and its parents alike.
        var kept = new HashSet<string>(StringComparer.Ordinal) { "lastactivity" };
        if (limetype == c.Conversation.Limetype)
        {
            kept.UnionWith([c.Conversation.PropertyThreadId, c.Conversation.PropertyReplyToId, c.Conversation.PropertyEarliestUnread,
                c.Conversation.PropertyFirstMessageDate, c.Conversation.PropertySource, c.Conversation.PropertyAddress]);
        }

        if (limetype == c.ConversationMessage.Limetype)
        {
            kept.UnionWith([c.ConversationMessage.PropertyMessage, c.ConversationMessage.PropertyEmailEngineId, c.ConversationMessage.PropertyUniqueId,
                c.ConversationMessage.PropertyEmailId, c.ConversationMessage.PropertySource, "incoming", "automatic", Core.Conversations.ConversationService.InternalNoteProperty]);
        }

        if (limetype == c.MessageFollower.Limetype)
        {
            kept.UnionWith([c.MessageFollower.PropertyMessageId, c.MessageFollower.PropertyQueueId]);
        }

        return kept;
    }

    /// <summary>How a related or listed record is named: its title, else its limetype and id.</summary>
    public static string TitleOf(Limetype target, IReadOnlyDictionary<string, object?> row) =>
        Format(null, row.GetValueOrDefault(TitleKey(target))) is { Length: > 0 } t ? t : $"{target.Label} {row[CrmSchema.IdKey]}";

    /// <summary>The columns of a list: the stored properties, relations shown by their title.</summary>
    public static IReadOnlyList<LimeProperty> ListColumns(Limetype limetype) =>
        limetype.Ordered.Where(p => p.Type is not (PropertyType.HasMany or PropertyType.File) && p.Name != "description" && p.Name != "message")
            .Take(7).ToList();

    public static string RelatedTitlePath(CrmSchema schema, LimeProperty relation) =>
        relation.Name + "." + TitleKey(schema.Get(relation.RelatedLimetype!));

    /// <summary>
    /// The property a view column's path ends in (through belongs-to relations), or a stand-in for a
    /// system key; null when the path does not resolve.
    /// </summary>
    public static LimeProperty? Resolve(CrmSchema schema, Limetype limetype, string path)
    {
        var segments = path.Split('.');
        var current = limetype;
        for (var i = 0; i < segments.Length; i++)
        {
            var property = current.Find(segments[i]);
            if (property is null)
            {
                return i == segments.Length - 1 && CrmSchema.IsSystemKey(segments[i])
                    ? new LimeProperty(current.Name, segments[i], segments[i], segments[i] == CrmSchema.IdKey ? PropertyType.Integer
                        : segments[i] == CrmSchema.UpdatedByKey ? PropertyType.Text : PropertyType.Time, false, false, [], null, null)
                    : null;
            }

            if (i == segments.Length - 1)
            {
                return property;
            }

            if (property.Type != PropertyType.BelongsTo)
            {
                return property.Type == PropertyType.HasMany ? schema.Find(property.RelatedLimetype!)?.Find(segments[^1]) : null;
            }

            current = schema.Get(property.RelatedLimetype!);
        }

        return null;
    }

    /// <summary>The row key of a relation column's related title (<c>person.name</c>), or null for any other column.</summary>
    public static string? RelatedTitleKey(CrmSchema schema, Core.Views.ViewColumn column, LimeProperty? property) =>
        !column.Aggregated && property is { Type: PropertyType.BelongsTo } relation
            ? column.Property + "." + TitleKey(schema.Get(relation.RelatedLimetype!))
            : null;

    public static string Format(LimeProperty? property, object? value) => value switch
    {
        null => "",
        DateTime time => time.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        bool yes => yes ? "Yes" : "No",
        double number => number.ToString("0.##", CultureInfo.InvariantCulture),
        string key when property is { Type: PropertyType.Option } => property.Options.FirstOrDefault(o => o.Key == key)?.Label ?? key,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
