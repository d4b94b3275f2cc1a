using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Tests.Core.Crm;

/// <summary>
/// Filters built in code are the JSON an admin writes (docs/formats.md §4), and the store reads them
/// back exactly as it reads that JSON.
/// </summary>
public sealed class FilterBuilderTests : CrmTestBase
{
    private readonly Dictionary<string, long> ids = [];

    private ObjectStore Store => Database.Store;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ids["me"] = await Store.CreateAsync("coworker", new Dictionary<string, object?> { ["name"] = "Me", ["email"] = "me@example.test", ["username"] = "user-1" }, "seed");
        ids["t1"] = await Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Printer broken", ["status"] = "reported", ["coworker"] = ids["me"] }, "seed");
        ids["t2"] = await Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "Invoice question", ["status"] = "done" }, "seed");
        ids["t3"] = await Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "No person here", ["status"] = "started" }, "seed");
        await Store.CreateAsync("conversation", new Dictionary<string, object?> { ["helpdesk"] = ids["t1"], ["earliestunread"] = "2026-01-02T00:00:00Z" }, "seed");
    }

    public static TheoryData<string, JsonNode> Expressions() => new()
    {
        { """{"key":"status","op":"=","exp":"done"}""", Filter.Eq("status", "done") },
        { """{"key":"status","op":"!=","exp":"done"}""", Filter.NotEq("status", "done") },
        { """{"key":"_id","op":">","exp":1}""", Filter.Gt("_id", 1L) },
        { """{"key":"_id","op":">=","exp":2}""", Filter.Gte("_id", 2L) },
        { """{"key":"_id","op":"<","exp":3}""", Filter.Lt("_id", 3L) },
        { """{"key":"_id","op":"<=","exp":2}""", Filter.Lte("_id", 2L) },
        { """{"key":"status","op":"IN","exp":["reported","started"]}""", Filter.In("status", ["reported", "started"]) },
        { """{"key":"subject","op":"=?","exp":"print"}""", Filter.BeginsWith("subject", "print") },
        { """{"key":"subject","op":"?","exp":"QUEST"}""", Filter.Contains("subject", "QUEST") },
        { """{"key":"coworker","op":"=","exp":null}""", Filter.IsNull("coworker") },
        { """{"key":"conversation.earliestunread","op":"!=","exp":null}""", Filter.IsNotNull("conversation.earliestunread") },
        { """{"key":"coworker","op":"=","exp":"$me"}""", Filter.Eq("coworker", Filter.Me) },
        { """{"op":"!","exp":{"key":"status","op":"=","exp":"reported"}}""", Filter.Not(Filter.Eq("status", "reported")) },
        {
            """{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"},{"key":"subject","op":"=?","exp":"No"}]}""",
            Filter.Or(Filter.Eq("status", "done"), Filter.BeginsWith("subject", "No"))
        },
        {
            """{"op":"AND","exp":[{"key":"conversation.earliestunread","op":"!=","exp":null},{"op":"OR","exp":[{"key":"coworker","op":"=","exp":"$me"},{"key":"coworker","op":"=","exp":null}]}]}""",
            Filter.And(Filter.IsNotNull("conversation.earliestunread"), Filter.Or(Filter.Eq("coworker", Filter.Me), Filter.IsNull("coworker")))
        },
        { """{"op":"AND","exp":[]}""", Filter.And() },
    };

    [Theory]
    [MemberData(nameof(Expressions))]
    public async Task A_built_filter_is_the_JSON_an_admin_writes_and_selects_the_same_tickets(string json, JsonNode built)
    {
        var written = JsonNode.Parse(json)!;
        Assert.True(JsonNode.DeepEquals(written, built), $"built {built.ToJsonString()}, expected {json}");
        // Through text and back, as a saved filter travels.
        var reread = JsonNode.Parse(built.ToJsonString())!;
        Assert.True(JsonNode.DeepEquals(written, reread));

        var context = await Store.ContextForUserAsync("user-1");
        Assert.Equal(await SubjectsAsync(written, context), await SubjectsAsync(built, context));
    }

    [Fact]
    public async Task Each_operator_selects_what_it_says()
    {
        var context = await Store.ContextForUserAsync("user-1");
        Assert.Equal(["Invoice question"], await SubjectsAsync(Filter.Eq("status", "done"), context));
        Assert.Equal(["No person here", "Printer broken"], await SubjectsAsync(Filter.In("status", ["reported", "started"]), context));
        Assert.Equal(["Printer broken"], await SubjectsAsync(Filter.Eq("coworker", Filter.Me), context));
        Assert.Equal(["Invoice question", "No person here"], await SubjectsAsync(Filter.IsNull("coworker"), context));
        Assert.Equal(["Printer broken"], await SubjectsAsync(Filter.IsNotNull("conversation.earliestunread"), context));
        Assert.Equal(["Invoice question", "No person here"], await SubjectsAsync(Filter.Not(Filter.Eq("status", "reported")), context));
        Assert.Equal(["Invoice question"], await SubjectsAsync(Filter.Eq(CrmSchema.IdKey, ids["t2"]), context));
    }

    [Fact]
    public async Task A_time_is_written_as_the_store_keeps_it_and_compares_as_a_time()
    {
        var since = new DateTime(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);

        var filter = Filter.Gte("earliestunread", since);

        Assert.Equal("2026-01-01T12:00:00.000Z", filter["exp"]!.GetValue<string>());
        Assert.Single(await Store.QueryAsync(new LimeQuery("conversation") { Filter = filter }, QueryContext.Anonymous));
        Assert.Empty(await Store.QueryAsync(new LimeQuery("conversation") { Filter = Filter.Gte("earliestunread", since.AddDays(1)) }, QueryContext.Anonymous));
    }

    [Fact]
    public void A_part_used_in_several_filters_is_copied_rather_than_moved()
    {
        var scope = Filter.Eq("status", "done");
        var first = Filter.And(scope, Filter.Gt("_id", 1L));

        var second = Filter.Or(scope, Filter.Lt("_id", 5L));

        Assert.True(JsonNode.DeepEquals(scope, first["exp"]![0]));
        Assert.True(JsonNode.DeepEquals(scope, second["exp"]![0]));
        Assert.NotSame(first["exp"]![0], second["exp"]![0]);
    }

    [Fact]
    public void All_is_nothing_the_one_expression_or_their_AND()
    {
        var one = Filter.Eq("status", "done");

        Assert.Null(Filter.All([]));
        Assert.Same(one, Filter.All([one]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"key":"_id","op":"=","exp":2}]}"""),
            Filter.All([one, Filter.Eq("_id", 2L)])));
    }

    [Fact]
    public void Any_is_nothing_the_one_expression_or_their_OR()
    {
        var one = Filter.Eq("status", "done");

        Assert.Null(Filter.Any([]));
        Assert.Same(one, Filter.Any([one]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"},{"key":"_id","op":"=","exp":2}]}"""),
            Filter.Any([one, Filter.Eq("_id", 2L)])));
    }

    [Fact]
    public void Values_keep_their_JSON_type()
    {
        Assert.Equal("""{"key":"a","op":"=","exp":true}""", Filter.Eq("a", true).ToJsonString());
        Assert.Equal("""{"key":"a","op":"=","exp":2.5}""", Filter.Eq("a", 2.5).ToJsonString());
        Assert.Equal("""{"key":"a","op":"=","exp":7}""", Filter.Eq("a", 7).ToJsonString());
        Assert.Equal("""{"key":"a","op":"IN","exp":[1,"b",null]}""", Filter.In("a", [1L, "b", null]).ToJsonString());
    }

    private async Task<string[]> SubjectsAsync(JsonNode filter, QueryContext context)
    {
        var rows = await Store.QueryAsync(new LimeQuery("helpdesk") { Filter = filter.DeepClone(), Limit = 100 }, context);
        return rows.Select(r => (string)r["subject"]!).Order(StringComparer.Ordinal).ToArray();
    }
}
