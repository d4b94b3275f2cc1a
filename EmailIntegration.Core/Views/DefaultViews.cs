using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Views;

/// <summary>The table view of a limetype that has none stored: what an admin would most likely configure first.</summary>
public static class DefaultViews
{
    public static TableView For(CrmSchema schema, Limetype limetype)
    {
        var columns = new List<ViewColumn>();
        var conversations = ConversationRelation(schema, limetype);
        if (conversations is not null)
        {
            columns.Add(new ViewColumn($"{conversations}.earliestunread", "📫", true, true, "MIN", "min_earliestunread_0",
                ViewComponentNames.UnreadIndicator, new JsonObject()));
        }

        columns.AddRange(limetype.Ordered
            .Where(p => p.Type is not (PropertyType.HasMany or PropertyType.File) && p.Name is not ("description" or "message" or Inbox.LastActivity.Property))
            .Take(7)
            .Select(p => new ViewColumn(p.Name, p.Label, true, false, null, null, null, null)));
        if (Inbox.LastActivity.IsKept(limetype))
        {
            // What a conversation parent's list is sorted by (newest first), beside the record's first column, where it is seen.
            columns.Insert(Math.Min(columns.Count, conversations is null ? 1 : 2),
                new ViewColumn(Inbox.LastActivity.Property, "Last activity", true, false, null, null, ViewComponentNames.Date, new JsonObject()));
        }

        var tabs = limetype.Ordered.Where(p => p.Type == PropertyType.HasMany).Select(p => new ViewTab(p.Label, p.Name)).ToList();
        var activities = new List<ViewActivity>();
        if (conversations is not null)
        {
            activities.Add(new ViewActivity("Conversation → Conversation message", $"{conversations}.conversationmessage"));
        }

        if (limetype.Find("follower") is { Type: PropertyType.HasMany })
        {
            activities.Add(new ViewActivity("Following → Following conversation messages → Conversation message", "follower.messagefollower.conversationmessage"));
        }

        // A company's feed: what its people follow.
        foreach (var members in limetype.Ordered.Where(p => p.Type == PropertyType.HasMany && schema.Find(p.RelatedLimetype!)?.Find("follower") is { Type: PropertyType.HasMany }))
        {
            activities.Add(new ViewActivity($"{members.Label} → Following → Following conversation messages → Conversation message",
                $"{members.Name}.follower.messagefollower.conversationmessage"));
        }

        return new TableView(limetype.Name, columns, tabs, activities, [], IsStored: false);
    }

    /// <summary>The has-many relation to conversations with an unread date, when the limetype is a conversation parent.</summary>
    private static string? ConversationRelation(CrmSchema schema, Limetype limetype) =>
        limetype.Ordered.FirstOrDefault(p => p.Type == PropertyType.HasMany && p.RelatedLimetype == "conversation"
            && schema.Find("conversation")?.Find("earliestunread") is { Type: PropertyType.Time })?.Name;
}
