namespace EmailIntegration.Core.Views;

public static class ShippedConfiguration
{
    /// <summary>In the order the guide's checklist imports them: a tile names a filter, a view offers filters as chips.</summary>
    public static IReadOnlyList<ShippedFile> Files { get; } =
    [
        new("filters.json", "The guide's filters", "Tickets with unread messages (webclient.helpdesk.ticketswithunreadmessages), mine, unassigned and open."),
        new("infotiles.json", "The guide's info tiles", "Unread tickets, my open tickets and unassigned tickets."),
        new("views.json", "The guide's table views", "The helpdesk list with the 📫 column, its Conversations tab and message feed; the person view."),
    ];
}
