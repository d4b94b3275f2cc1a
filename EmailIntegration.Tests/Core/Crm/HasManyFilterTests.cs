using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;

namespace EmailIntegration.Tests.Core.Crm;

/// <summary>
/// Filters across has-many relations, alone and combined (behind a belongs-to, two has-many deep,
/// inside OR and '!', next to a selective condition), each checked against the answer worked out
/// in memory from the same seeded objects.
/// </summary>
public sealed class HasManyFilterTests : CrmTestBase
{
    private sealed record Company(long Id, decimal[] Deals);

    private sealed record Person(long Id, string Name, Company? Company);

    private sealed record Conversation(string? Subject, bool Unread);

    private sealed record Ticket(long Id, string? Status, Person? Person, Conversation[] Conversations);

    private readonly List<Company> companies = [];
    private readonly List<Person> persons = [];
    private readonly List<Ticket> tickets = [];

    private ObjectStore Store => Database.Store;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using var session = await Store.OpenAsync("seed");
        decimal[][] deals = [[100m, 250m], [50m], [], [300m]];
        for (var c = 0; c < deals.Length; c++)
        {
            var id = await session.CreateAsync("company", new Dictionary<string, object?> { ["name"] = $"Company {c}" });
            foreach (var value in deals[c])
            {
                await session.CreateAsync("deal", new Dictionary<string, object?> { ["name"] = "Deal", ["value"] = value, ["company"] = id });
            }

            companies.Add(new(id, deals[c]));
        }

        for (var p = 0; p < 10; p++)
        {
            var company = p % 5 == 4 ? null : companies[p % 4];
            var name = p % 2 == 0 ? $"Ann {p}" : $"Bob {p}";
            var id = await session.CreateAsync("person", new Dictionary<string, object?> { ["name"] = name, ["company"] = company?.Id });
            persons.Add(new(id, name, company));
        }

        string?[] statuses = ["reported", "started", "done", null];
        for (var t = 0; t < 30; t++)
        {
            var person = t % 6 == 5 ? null : persons[t % 10];
            var status = statuses[t % 4];
            var id = await session.CreateAsync("helpdesk", new Dictionary<string, object?>
            {
                ["subject"] = $"Ticket {t}",
                ["status"] = status,
                ["person"] = person?.Id,
            });
            var conversations = Enumerable.Range(0, t % 3).Select(j => new Conversation(j == 1 ? null : "Hello", (t + j) % 4 == 0)).ToArray();
            foreach (var conversation in conversations)
            {
                await session.CreateAsync("conversation", new Dictionary<string, object?>
                {
                    ["helpdesk"] = id,
                    ["subject"] = conversation.Subject,
                    ["earliestunread"] = conversation.Unread ? "2026-01-01T00:00:00Z" : null,
                });
            }

            tickets.Add(new(id, status, person, conversations));
        }

        await session.CommitAsync();
    }

    public static TheoryData<string, string> TicketFilters => new()
    {
        { """{"key":"conversation.earliestunread","op":"!=","exp":null}""", "any unread" },
        { """{"key":"conversation.earliestunread","op":"=","exp":null}""", "any read" },
        { """{"key":"conversation","op":"=","exp":null}""", "no conversation" },
        { """{"key":"conversation","op":"!=","exp":null}""", "a conversation" },
        { """{"key":"conversation.subject","op":"!=","exp":"hello"}""", "a conversation not saying hello" },
        { """{"key":"conversation.subject","op":"!=","exp":null}""", "a conversation with a subject" },
        { """{"key":"person.company.deal.value","op":">","exp":200}""", "a person whose company has a deal over 200" },
        { """{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"},{"key":"conversation.earliestunread","op":"!=","exp":null}]}""", "done or any unread" },
        { """{"op":"!","exp":{"key":"conversation.earliestunread","op":"!=","exp":null}}""", "not any unread" },
        { """{"op":"!","exp":{"key":"conversation","op":"=","exp":null}}""", "a conversation" },
        { """{"op":"!","exp":{"key":"person.company.deal.value","op":">","exp":200}}""", "not a person whose company has a deal over 200" },
        { """{"op":"!","exp":{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"},{"key":"conversation","op":"=","exp":null}]}}""", "neither done nor without a conversation" },
        { """{"op":"AND","exp":[{"key":"person.name","op":"=?","exp":"ann"},{"key":"conversation.earliestunread","op":"!=","exp":null}]}""", "Ann's with any unread" },
        { """{"op":"AND","exp":[{"key":"status","op":"!=","exp":"done"},{"op":"!","exp":{"key":"conversation.earliestunread","op":"!=","exp":null}}]}""", "not done and not any unread" },
    };

    [Theory]
    [MemberData(nameof(TicketFilters))]
    public async Task A_ticket_filter_across_has_many_relations_selects_what_the_objects_say(string filter, string meaning)
    {
        var expected = tickets.Where(TicketPredicate(meaning)).Select(t => t.Id).Order().ToArray();
        Assert.NotEmpty(expected);
        Assert.NotEqual(tickets.Count, expected.Length);

        var rows = await Store.QueryAsync(new LimeQuery("helpdesk") { Filter = JsonNode.Parse(filter), Limit = 100 }, QueryContext.Anonymous);
        Assert.Equal(expected, rows.Select(r => (long)r["_id"]!).Order().ToArray());
        Assert.Equal(expected.Length, await Store.CountAsync("helpdesk", JsonNode.Parse(filter), QueryContext.Anonymous));
    }

    private static Func<Ticket, bool> TicketPredicate(string meaning) => meaning switch
    {
        "any unread" => t => t.Conversations.Any(c => c.Unread),
        "any read" => t => t.Conversations.Any(c => !c.Unread),
        "no conversation" => t => t.Conversations.Length == 0,
        "a conversation" => t => t.Conversations.Length > 0,
        "a conversation not saying hello" => t => t.Conversations.Any(c => c.Subject is null),
        "a conversation with a subject" => t => t.Conversations.Any(c => c.Subject is not null),
        "a person whose company has a deal over 200" => t => t.Person?.Company?.Deals.Any(d => d > 200) == true,
        "done or any unread" => t => t.Status == "done" || t.Conversations.Any(c => c.Unread),
        "not any unread" => t => !t.Conversations.Any(c => c.Unread),
        "not a person whose company has a deal over 200" => t => t.Person?.Company?.Deals.Any(d => d > 200) != true,
        "neither done nor without a conversation" => t => t.Status != "done" && t.Conversations.Length > 0,
        "Ann's with any unread" => t => t.Person?.Name.StartsWith("Ann", StringComparison.Ordinal) == true && t.Conversations.Any(c => c.Unread),
        "not done and not any unread" => t => t.Status != "done" && !t.Conversations.Any(c => c.Unread),
        _ => throw new ArgumentException(meaning, nameof(meaning)),
    };

    [Fact]
    public async Task Two_has_many_relations_deep_and_back_through_a_belongs_to()
    {
        // Persons with a ticket that has an unread conversation: has-many, then has-many.
        var unreadPersons = persons.Where(p => tickets.Any(t => t.Person == p && t.Conversations.Any(c => c.Unread))).Select(p => p.Id).Order().ToArray();
        Assert.Equal(unreadPersons, await Ids("person", """{"key":"helpdesk.conversation.earliestunread","op":"!=","exp":null}"""));
        var notUnread = persons.Select(p => p.Id).Except(unreadPersons).Order().ToArray();
        Assert.Equal(notUnread, await Ids("person", """{"op":"!","exp":{"key":"helpdesk.conversation.earliestunread","op":"!=","exp":null}}"""));

        // Companies with a ticket of a person named Bob: has-many, then belongs-to.
        var bobsCompanies = companies.Where(c => tickets.Any(t => t.Person?.Company == c && t.Person.Name.StartsWith("Bob", StringComparison.Ordinal)))
            .Select(c => c.Id).Order().ToArray();
        Assert.Equal(bobsCompanies, await Ids("company", """{"key":"person.helpdesk.person.name","op":"=?","exp":"bob"}"""));

        // A selective condition next to the has-many one: one person's tickets with an unread conversation.
        var person = persons[0];
        var hisUnread = tickets.Where(t => t.Person == person && t.Conversations.Any(c => c.Unread)).Select(t => t.Id).Order().ToArray();
        Assert.NotEmpty(hisUnread);
        Assert.Equal(hisUnread, await Ids("helpdesk",
            $$"""{"op":"AND","exp":[{"key":"person","op":"=","exp":{{person.Id}}},{"key":"conversation.earliestunread","op":"!=","exp":null}]}"""));
    }

    [Fact]
    public async Task A_has_many_filter_is_a_set_built_once_from_an_index_not_a_lookup_for_every_row()
    {
        await using var session = await Store.OpenReadAsync();
        var plan = await session.ExplainAsync(new LimeQuery("helpdesk")
        {
            Filter = JsonNode.Parse("""{"key":"conversation.earliestunread","op":"!=","exp":null}"""),
        }, QueryContext.Anonymous);

        Assert.DoesNotContain(plan, line => line.Contains("CORRELATED", StringComparison.Ordinal));
        // "Has a value" reads the index of earliestunread rather than every conversation.
        Assert.Contains(plan, line => line.Contains("INDEX ix_lt_conversation_earliestunread", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_page_with_related_columns_and_aggregates_sorts_and_pages_like_the_objects()
    {
        var expected = tickets.Where(t => t.Conversations.Length > 0)
            .OrderByDescending(t => t.Conversations.Length).ThenByDescending(t => t.Id).Skip(3).Take(5).Select(t => t.Id).ToArray();
        var rows = await Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Filter = JsonNode.Parse("""{"key":"conversation","op":"!=","exp":null}"""),
            Columns = ["person.name"],
            Aggregates = [new Aggregate("conversations", "COUNT", "conversation")],
            Order = [new OrderBy("conversations", Descending: true)],
            Offset = 3,
            Limit = 5,
        }, QueryContext.Anonymous);

        Assert.Equal(expected, rows.Select(r => (long)r["_id"]!).ToArray());
        Assert.Equal(expected.Select(id => tickets.Single(t => t.Id == id).Person?.Name), rows.Select(r => (string?)r["person.name"]).ToArray());
    }

    private async Task<long[]> Ids(string limetype, string filter)
    {
        var rows = await Store.QueryAsync(new LimeQuery(limetype) { Filter = JsonNode.Parse(filter), Limit = 100 }, QueryContext.Anonymous);
        return rows.Select(r => (long)r["_id"]!).Order().ToArray();
    }
}
