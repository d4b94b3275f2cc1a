using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Crm;

/// <summary>The Lime filter language against a small, known data set on a real SQLite file.</summary>
public sealed class QueryEngineTests : CrmTestBase
{
    private readonly Dictionary<string, long> ids = [];

    private ObjectStore Store => Database.Store;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        async Task Add(string key, string limetype, Dictionary<string, object?> values) =>
            ids[key] = await Store.CreateAsync(limetype, values, "seed");

        await Add("acme", "company", new() { ["name"] = "Acme" });
        await Add("globex", "company", new() { ["name"] = "Globex" });
        await Add("ann", "person", new() { ["name"] = "Ann", ["email"] = "ann@acme.test", ["mobilephone"] = "111", ["company"] = ids["acme"] });
        await Add("bob", "person", new() { ["name"] = "Bob", ["email"] = "bob@globex.test", ["company"] = ids["globex"] });
        await Add("cid", "person", new() { ["name"] = "Cid_100%" });
        await Add("me", "coworker", new() { ["name"] = "Me", ["email"] = "me@example.test", ["username"] = "user-1" });
        await Add("other", "coworker", new() { ["name"] = "Other", ["email"] = "other@example.test", ["username"] = "user-2" });
        await Add("t1", "helpdesk", new() { ["subject"] = "Printer broken", ["status"] = "reported", ["person"] = ids["ann"], ["coworker"] = ids["me"], ["email"] = "me@example.test" });
        await Add("t2", "helpdesk", new() { ["subject"] = "Invoice question", ["status"] = "done", ["person"] = ids["bob"], ["coworker"] = ids["other"] });
        await Add("t3", "helpdesk", new() { ["subject"] = "No person here", ["status"] = "started" });
        await Add("c1", "conversation", new() { ["helpdesk"] = ids["t1"], ["earliestunread"] = "2026-01-02T00:00:00Z" });
        await Add("c2", "conversation", new() { ["helpdesk"] = ids["t1"], ["earliestunread"] = "2026-01-01T00:00:00Z" });
        await Add("c3", "conversation", new() { ["helpdesk"] = ids["t2"] });
        await Add("d1", "deal", new() { ["name"] = "Big", ["value"] = 100, ["company"] = ids["acme"] });
        await Add("d2", "deal", new() { ["name"] = "Bigger", ["value"] = 250.5, ["company"] = ids["acme"] });
    }

    private async Task<string[]> Names(string limetype, string filter, QueryContext? context = null, string nameKey = "subject")
    {
        var rows = await Store.QueryAsync(new LimeQuery(limetype) { Filter = JsonNode.Parse(filter), Limit = 100 }, context ?? QueryContext.Anonymous);
        return rows.Select(r => (string)r[nameKey]!).Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [InlineData("""{"key":"status","op":"=","exp":"done"}""", new[] { "Invoice question" })]
    [InlineData("""{"key":"status","op":"!=","exp":"done"}""", new[] { "No person here", "Printer broken" })]
    [InlineData("""{"key":"status","op":"IN","exp":["reported","started"]}""", new[] { "No person here", "Printer broken" })]
    [InlineData("""{"key":"subject","op":"=?","exp":"print"}""", new[] { "Printer broken" })]
    [InlineData("""{"key":"subject","op":"?","exp":"QUEST"}""", new[] { "Invoice question" })]
    [InlineData("""{"key":"status","op":"!","exp":"reported"}""", new[] { "Invoice question", "No person here" })]
    [InlineData("""{"op":"!","exp":{"key":"status","op":"=","exp":"reported"}}""", new[] { "Invoice question", "No person here" })]
    [InlineData("""{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"},{"key":"subject","op":"=?","exp":"No"}]}""", new[] { "Invoice question", "No person here" })]
    [InlineData("""{"op":"AND","exp":[{"key":"status","op":"!=","exp":"done"},{"key":"subject","op":"?","exp":"broken"}]}""", new[] { "Printer broken" })]
    [InlineData("""{"op":"AND","exp":[]}""", new[] { "Invoice question", "No person here", "Printer broken" })]
    [InlineData("""{"op":"OR","exp":[]}""", new string[0])]
    public async Task Each_operator_selects_the_right_tickets(string filter, string[] expected) =>
        Assert.Equal(expected, await Names("helpdesk", filter));

    [Theory]
    [InlineData(">", "2026-01-01T00:00:00Z", new[] { "2026-01-02" })]
    [InlineData(">=", "2026-01-01T00:00:00Z", new[] { "2026-01-01", "2026-01-02" })]
    [InlineData("<", "2026-01-02T00:00:00Z", new[] { "2026-01-01" })]
    [InlineData("<=", "2026-01-02T00:00:00Z", new[] { "2026-01-01", "2026-01-02" })]
    public async Task Comparisons_order_times_correctly(string op, string value, string[] expected)
    {
        var rows = await Store.QueryAsync(new LimeQuery("conversation")
        {
            Filter = new JsonObject { ["key"] = "earliestunread", ["op"] = op, ["exp"] = value },
        }, QueryContext.Anonymous);

        Assert.Equal(expected, rows.Select(r => ((DateTime)r["earliestunread"]!).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Order().ToArray());
    }

    [Fact]
    public async Task Numbers_compare_as_numbers()
    {
        Assert.Equal(["Bigger"], await Names("deal", """{"key":"value","op":">","exp":200}""", nameKey: "name"));
        Assert.Equal(["Big", "Bigger"], await Names("deal", """{"key":"value","op":">=","exp":100}""", nameKey: "name"));
    }

    [Fact]
    public async Task Null_means_empty_and_not_equal_includes_the_empty_ones()
    {
        Assert.Equal(["No person here"], await Names("helpdesk", """{"key":"person","op":"=","exp":null}"""));
        Assert.Equal(["Invoice question", "Printer broken"], await Names("helpdesk", """{"key":"person","op":"!=","exp":null}"""));
        // Across a missing relation the value reads as empty.
        Assert.Equal(["Invoice question", "No person here"], await Names("helpdesk", """{"key":"person.mobilephone","op":"=","exp":null}"""));
        Assert.Equal(["Cid_100%"], await Names("person", """{"key":"email","op":"IN","exp":[null]}""", nameKey: "name"));
    }

    [Fact]
    public async Task Belongs_to_paths_cross_one_and_two_relations()
    {
        Assert.Equal(["Printer broken"], await Names("helpdesk", """{"key":"person.email","op":"=","exp":"ANN@acme.test"}"""));
        Assert.Equal(["Invoice question"], await Names("helpdesk", """{"key":"person.company.name","op":"=","exp":"Globex"}"""));
    }

    [Fact]
    public async Task Has_many_paths_match_when_any_related_object_does()
    {
        Assert.Equal(["Printer broken"], await Names("helpdesk", """{"key":"conversation.earliestunread","op":"!=","exp":null}"""));
        Assert.Equal(["Invoice question"], await Names("helpdesk", """{"key":"conversation.earliestunread","op":"=","exp":null}"""));
        // The relation itself: tickets without any conversation.
        Assert.Equal(["No person here"], await Names("helpdesk", """{"key":"conversation","op":"=","exp":null}"""));
        // The other direction, and a has-many behind a belongs-to: persons whose company has a deal over 200.
        Assert.Equal(["Ann"], await Names("person", """{"key":"helpdesk.status","op":"=","exp":"reported"}""", nameKey: "name"));
        Assert.Equal(["Ann"], await Names("person", """{"key":"company.deal.value","op":">","exp":200}""", nameKey: "name"));
    }

    [Fact]
    public async Task Me_is_the_signed_in_users_coworker()
    {
        var me = await Store.ContextForUserAsync("user-1");
        Assert.Equal(ids["me"], me.CoworkerId);

        Assert.Equal(["Printer broken"], await Names("helpdesk", """{"key":"coworker","op":"=","exp":"$me"}""", me));
        Assert.Equal(["Printer broken"], await Names("helpdesk", """{"key":"email","op":"=","exp":"$me.email"}""", me));
        Assert.Equal(["Invoice question", "No person here"], await Names("helpdesk", """{"key":"coworker","op":"!=","exp":"$me"}""", me));
        // Somebody without a coworker record matches no "$me".
        Assert.Empty(await Names("helpdesk", """{"key":"coworker","op":"=","exp":"$me"}""", await Store.ContextForUserAsync("nobody")));
    }

    [Fact]
    public async Task Ordering_and_paging_walk_the_whole_list_once()
    {
        var seen = new List<string>();
        for (var offset = 0; offset < 4; offset += 2)
        {
            var page = await Store.QueryAsync(new LimeQuery("helpdesk")
            {
                Order = [new OrderBy("subject", Descending: true)],
                Offset = offset,
                Limit = 2,
            }, QueryContext.Anonymous);
            seen.AddRange(page.Select(r => (string)r["subject"]!));
        }

        Assert.Equal(["Printer broken", "No person here", "Invoice question"], seen);

        var byPersonName = await Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Order = [new OrderBy("person.name")],
            Columns = ["person.name", "person.company.name"],
        }, QueryContext.Anonymous);
        Assert.Equal([null, "Ann", "Bob"], byPersonName.Select(r => r["person.name"]).ToArray());
        Assert.Equal([null, "Acme", "Globex"], byPersonName.Select(r => r["person.company.name"]).ToArray());
    }

    [Fact]
    public async Task Aggregates_over_has_many_relations_are_computed_per_row_and_sortable()
    {
        var rows = await Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Aggregates =
            [
                new Aggregate("min_earliestunread_0", "MIN", "conversation.earliestunread"),
                new Aggregate("max_unread", "MAX", "conversation.earliestunread"),
                new Aggregate("conversations", "COUNT", "conversation"),
            ],
            Order = [new OrderBy("conversations", Descending: true)],
        }, QueryContext.Anonymous);

        Assert.Equal(["Printer broken", "Invoice question", "No person here"], rows.Select(r => (string)r["subject"]!).ToArray());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), rows[0]["min_earliestunread_0"]);
        Assert.Equal(new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc), rows[0]["max_unread"]);
        Assert.Null(rows[1]["min_earliestunread_0"]);
        Assert.Equal([2L, 1L, 0L], rows.Select(r => r["conversations"]).ToArray());

        var companies = await Store.QueryAsync(new LimeQuery("company")
        {
            Aggregates = [new Aggregate("total", "SUM", "deal.value")],
            Order = [new OrderBy("name")],
        }, QueryContext.Anonymous);
        Assert.Equal([350.5, null], companies.Select(r => r["total"]).ToArray());
    }

    [Fact]
    public async Task Counting_a_filter_counts_without_loading_rows()
    {
        Assert.Equal(1, await Store.CountAsync("helpdesk", JsonNode.Parse("""{"key":"conversation.earliestunread","op":"!=","exp":null}"""), QueryContext.Anonymous));
        Assert.Equal(3, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
    }

    [Theory]
    [InlineData("""{"key":"subject\" OR 1=1 --","op":"=","exp":"x"}""", "filter.key", "Unknown property 'subject\" OR 1=1 --'")]
    [InlineData("""{"key":"person.nothing","op":"=","exp":"x"}""", "filter.key", "Unknown property 'nothing' on limetype 'person'")]
    [InlineData("""{"key":"subject.name","op":"=","exp":"x"}""", "filter.key", "is not a relation")]
    [InlineData("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"key":"status","op":"LIKE","exp":"x"}]}""", "filter.exp[1].op", "Unknown operator 'LIKE'")]
    [InlineData("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"key":"status;DROP TABLE lt_helpdesk","op":"=","exp":1}]}""", "filter.exp[1].key", "Unknown property")]
    [InlineData("""{"key":"status","op":">","exp":null}""", "filter.exp", "cannot compare with null")]
    [InlineData("""{"key":"status","op":"IN","exp":"done"}""", "filter.exp", "IN needs an array")]
    [InlineData("""{"key":"_id","op":"=","exp":"1 OR 1=1"}""", "filter.exp", "is not a valid integer")]
    [InlineData("""{"key":"coworker","op":"=","exp":"$me.password"}""", "filter.exp", "coworker has no property 'password'")]
    [InlineData("""{"op":"XOR","exp":[]}""", "filter.op", "needs a key")]
    [InlineData("""["not an object"]""", "filter", "An expression is an object")]
    public async Task A_hostile_or_wrong_filter_is_an_error_naming_its_json_path(string filter, string path, string message)
    {
        var error = await Assert.ThrowsAsync<QueryException>(() =>
            Store.QueryAsync(new LimeQuery("helpdesk") { Filter = JsonNode.Parse(filter) }, QueryContext.Anonymous));

        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(3, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
    }

    [Fact]
    public async Task A_hostile_value_is_only_ever_a_value()
    {
        Assert.Empty(await Names("helpdesk", """{"key":"subject","op":"=","exp":"' OR '1'='1"}"""));
        Assert.Empty(await Names("helpdesk", """{"key":"subject","op":"?","exp":"'); DROP TABLE lt_helpdesk; --"}"""));
        // LIKE wildcards in a value are literal characters.
        Assert.Equal(["Cid_100%"], await Names("person", """{"key":"name","op":"?","exp":"_100%"}""", nameKey: "name"));
        Assert.Empty(await Names("person", """{"key":"name","op":"?","exp":"A_n"}""", nameKey: "name"));
        Assert.Equal(3, await Store.CountAsync("helpdesk", null, QueryContext.Anonymous));
    }

    [Fact]
    public async Task Wrong_aggregates_and_orderings_are_refused_with_their_path()
    {
        var notHasMany = await Assert.ThrowsAsync<QueryException>(() => Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Aggregates = [new Aggregate("x", "MIN", "person.name")],
        }, QueryContext.Anonymous));
        Assert.Equal("aggregates[0].path", notHasMany.Path);

        var sumOfText = await Assert.ThrowsAsync<QueryException>(() => Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Aggregates = [new Aggregate("x", "SUM", "conversation.subject")],
        }, QueryContext.Anonymous));
        Assert.Contains("SUM needs a number", sumOfText.Message, StringComparison.Ordinal);

        var badKey = await Assert.ThrowsAsync<QueryException>(() => Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Aggregates = [new Aggregate("x\" FROM lt_person --", "COUNT", "conversation")],
        }, QueryContext.Anonymous));
        Assert.Equal("aggregates[0].key", badKey.Path);

        var orderByHasMany = await Assert.ThrowsAsync<QueryException>(() => Store.QueryAsync(new LimeQuery("helpdesk")
        {
            Order = [new OrderBy("conversation")],
        }, QueryContext.Anonymous));
        Assert.Equal("order[0].key", orderByHasMany.Path);
    }
}
