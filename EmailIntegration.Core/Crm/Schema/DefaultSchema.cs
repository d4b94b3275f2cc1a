namespace EmailIntegration.Core.Crm.Schema;

/// <summary>
/// The schema created on first start. Names are exactly those of the runtime configuration
/// example in the configuration guide, so that example works as pasted.
/// </summary>
public static class DefaultSchema
{
    public sealed record PropertySpec(
        string Name, string Label, PropertyType Type, bool Required = false, bool Indexed = false,
        IReadOnlyList<OptionValue>? Options = null, string? Related = null, string? Inverse = null, string? InverseLabel = null);

    public sealed record LimetypeSpec(string Name, string Label, IReadOnlyList<PropertySpec> Properties);

    private static PropertySpec Text(string name, string label, bool indexed = false, bool required = false) =>
        new(name, label, PropertyType.Text, required, indexed);

    private static PropertySpec Time(string name, string label, bool indexed = false) => new(name, label, PropertyType.Time, Indexed: indexed);

    private static PropertySpec YesNo(string name, string label) => new(name, label, PropertyType.YesNo);

    private static PropertySpec Option(string name, string label, params (string Key, string Label)[] options) =>
        new(name, label, PropertyType.Option, Options: options.Select(o => new OptionValue(o.Key, o.Label)).ToList());

    /// <summary>A belongs-to and, on the related limetype, its has-many inverse.</summary>
    private static PropertySpec BelongsTo(string name, string label, string related, string inverse, string inverseLabel) =>
        new(name, label, PropertyType.BelongsTo, Related: related, Inverse: inverse, InverseLabel: inverseLabel);

    /// <summary>Kept by the import and replies (<see cref="Inbox.LastActivity"/>): the newest message's time.</summary>
    private const string LastActivityName = Inbox.LastActivity.Property;

    private static readonly (string, string)[] Participation = [("from", "From"), ("to", "To"), ("cc", "Cc"), ("agent", "Agent")];

    public static IReadOnlyList<LimetypeSpec> Limetypes { get; } =
    [
        new("coworker", "Coworker",
        [
            Text("name", "Name", required: true), Text("email", "Email", indexed: true), Text("phone", "Phone"),
            Text("username", "Sign-in user id", indexed: true),
        ]),
        new("company", "Company", [Text("name", "Name", indexed: true, required: true), Text("email", "Email", indexed: true), Text("phone", "Phone")]),
        new("person", "Person",
        [
            Text("name", "Name"), Text("email", "Email", indexed: true), Text("mobilephone", "Mobile phone"), Text("phone", "Phone"),
            BelongsTo("company", "Company", "company", "person", "Persons"),
        ]),
        new("helpdesk", "Ticket",
        [
            Text("subject", "Subject"), Text("description", "Description"),
            Option("status", "Status", ("reported", "Reported"), ("started", "Started"), ("done", "Done")),
            BelongsTo("person", "Person", "person", "helpdesk", "Tickets"),
            BelongsTo("company", "Company", "company", "helpdesk", "Tickets"),
            BelongsTo("coworker", "Responsible", "coworker", "helpdesk", "Tickets"),
            Text("email", "Email", indexed: true),
            Option("source", "Source", ("email", "Email"), ("phone", "Phone"), ("web", "Web"), ("manual", "Manual")),
            Text("phone", "Phone"),
            Time(LastActivityName, "Last activity", indexed: true),
        ]),
        new("deal", "Deal",
        [
            Text("name", "Name"), new PropertySpec("value", "Value", PropertyType.Decimal),
            Option("status", "Status", ("contact", "Contact"), ("offer", "Offer"), ("won", "Won"), ("lost", "Lost")),
            BelongsTo("person", "Person", "person", "deal", "Deals"),
            BelongsTo("company", "Company", "company", "deal", "Deals"),
            BelongsTo("coworker", "Responsible", "coworker", "deal", "Deals"),
            Time(LastActivityName, "Last activity", indexed: true),
        ]),
        new("conversation", "Conversation",
        [
            Text("subject", "Subject"), Text("threadid", "Thread id", indexed: true), Text("replytoid", "Reply-to id"),
            Time("earliestunread", "Earliest unread", indexed: true), Text("email", "Account address"),
            Time("firstmessagedate", "First message"), Text("language", "Language"),
            Option("source", "Source", ("email", "Email"), ("manual", "Manual")),
            BelongsTo("helpdesk", "Ticket", "helpdesk", "conversation", "Conversations"),
            BelongsTo("deal", "Deal", "deal", "conversation", "Conversations"),
            Time(LastActivityName, "Last activity", indexed: true),
        ]),
        new("conversationmessage", "Conversation message",
        [
            Text("subject", "Subject"), Text("message", "Message"), Text("fromaddress", "From address", indexed: true),
            Text("fromname", "From name"), Time("date", "Date", indexed: true),
            Text("emailid", "Message-ID", indexed: true), Text("emailengineid", "Mailbox id"), Text("uniqueid", "Unique id", indexed: true),
            Option("source", "Source", ("email", "Email"), ("manual", "Manual")),
            YesNo("incoming", "Incoming"), YesNo("isread", "Read"), YesNo("automatic", "Automatic mail"), YesNo("internalnote", "Internal note"),
            YesNo("signed", "Signed (not verified)"), Text("contenthash", "Content hash"),
            BelongsTo("conversation", "Conversation", "conversation", "conversationmessage", "Messages"),
        ]),
        new("follower", "Follower",
        [
            Text("name", "Name"), Text("email", "Email", indexed: true),
            Option("participationlevel", "Participation", Participation),
            YesNo("active", "Active"), YesNo("subscribed", "Subscribed"),
            BelongsTo("conversation", "Conversation", "conversation", "follower", "Followers"),
            BelongsTo("conversationmessage", "First message", "conversationmessage", "follower", "Followers added"),
            BelongsTo("person", "Person", "person", "follower", "Following"),
            BelongsTo("coworker", "Coworker", "coworker", "follower", "Following"),
        ]),
        new("messagefollower", "Message follower",
        [
            Option("participationlevel", "Participation", Participation),
            Text("messageid", "Notification Message-ID", indexed: true), Text("queueid", "Outbox id"),
            BelongsTo("follower", "Follower", "follower", "messagefollower", "Following conversation messages"),
            BelongsTo("conversationmessage", "Message", "conversationmessage", "messagefollower", "Message followers"),
        ]),
        new("document", "Document",
        [
            Text("comment", "Comment"), Option("type", "Type", ("other", "Other"), ("email", "Email"), ("image", "Image")),
            new PropertySpec("document", "File", PropertyType.File),
            BelongsTo("conversationmessage", "Message", "conversationmessage", "document", "Documents"),
            BelongsTo("helpdesk", "Ticket", "helpdesk", "document", "Documents"),
            BelongsTo("deal", "Deal", "deal", "document", "Documents"),
        ]),
        new("embeddedfile", "Embedded file",
        [
            new PropertySpec("document", "File", PropertyType.File), Text("contentid", "Content-ID"),
            BelongsTo("conversationmessage", "Message", "conversationmessage", "embeddedfile", "Embedded files"),
        ]),
        new("importerror", "Import error",
        [
            Text("account", "Account", indexed: true), Text("reason", "Reason"), Text("subject", "Subject"),
            Text("fromaddress", "From address"), Time("receiveddate", "Received", indexed: true),
            Option("status", "Status", ("failed", "Failed"), ("retried", "Retried"), ("imported", "Imported")),
            new PropertySpec("rawmessage", "Raw message", PropertyType.File),
        ]),
    ];
}
