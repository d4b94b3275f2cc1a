using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Views;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Core.Crm;

/// <summary>Filters too deep, too wide or too long are refused as query errors with their path, before SQLite or the stack meet them.</summary>
public sealed class FilterLimitTests : CrmTestBase
{
    private static readonly JsonObject Leaf = new() { ["key"] = "status", ["op"] = "=", ["exp"] = "done" };

    /// <summary>'!' inside '!', built in code (no parser limit applies): one JSON level each.</summary>
    private static JsonNode Negations(int levels)
    {
        JsonNode node = new JsonObject { ["key"] = "status", ["op"] = "=", ["exp"] = "done" };
        for (var i = 0; i < levels; i++)
        {
            node = new JsonObject { ["op"] = "!", ["exp"] = node };
        }

        return node;
    }

    private static JsonObject InList(int count) => new()
    {
        ["op"] = "AND",
        ["exp"] = new JsonArray(Leaf.DeepClone(), new JsonObject
        {
            ["key"] = "subject",
            ["op"] = "IN",
            ["exp"] = new JsonArray(Enumerable.Range(0, count).Select(i => (JsonNode?)JsonValue.Create($"s{i}")).ToArray()),
        }),
    };

    private Task<long> CountAsync(JsonNode filter) => Database.Store.CountAsync("helpdesk", filter, QueryContext.Anonymous);

    [Fact]
    public async Task A_filter_nested_10000_levels_deep_is_refused_with_a_query_error()
    {
        var error = await Assert.ThrowsAsync<QueryException>(() => CountAsync(Negations(10_000)));

        Assert.StartsWith("filter.exp.exp", error.Path, StringComparison.Ordinal);
        Assert.Contains("more than 64 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_filter_nested_100000_levels_deep_is_refused_and_the_process_stays_up()
    {
        var deep = Negations(100_000);

        await Assert.ThrowsAsync<QueryException>(() => CountAsync(deep));
        await Assert.ThrowsAsync<QueryException>(() => Database.Store.QueryAsync(new LimeQuery("helpdesk") { Filter = deep }, QueryContext.Anonymous));
        // The same object as an AND/OR tree, nested through arrays.
        JsonNode tree = Leaf.DeepClone();
        for (var i = 0; i < 100_000; i++)
        {
            tree = new JsonObject { ["op"] = i % 2 == 0 ? "AND" : "OR", ["exp"] = new JsonArray(tree) };
        }

        var error = await Assert.ThrowsAsync<QueryException>(() => CountAsync(tree));
        Assert.StartsWith("filter.exp[0].exp[0]", error.Path, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync(Leaf.DeepClone()));
    }

    [Fact]
    public async Task An_IN_with_50000_values_is_refused_naming_its_path()
    {
        var error = await Assert.ThrowsAsync<QueryException>(() => CountAsync(InList(50_000)));

        Assert.Equal("filter.exp[1].exp", error.Path);
        Assert.Contains("50,000 values; the limit is 1,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_500_conditions_are_refused_naming_the_first_one_past_the_limit()
    {
        var many = new JsonObject { ["op"] = "OR", ["exp"] = new JsonArray(Enumerable.Range(0, 501).Select(_ => (JsonNode?)Leaf.DeepClone()).ToArray()) };

        var error = await Assert.ThrowsAsync<QueryException>(() => CountAsync(many));

        Assert.Equal("filter.exp[500]", error.Path);
    }

    [Fact]
    public async Task Filters_at_the_limits_still_run()
    {
        await Database.Store.CreateAsync("helpdesk", new Dictionary<string, object?> { ["subject"] = "s7", ["status"] = "done" }, "seed");
        var flat = new JsonObject { ["op"] = "OR", ["exp"] = new JsonArray(Enumerable.Range(0, 500).Select(_ => (JsonNode?)Leaf.DeepClone()).ToArray()) };

        Assert.Equal(1, await CountAsync(Leaf.DeepClone()));
        Assert.Equal(1, await CountAsync(InList(1_000)));
        Assert.Equal(1, await CountAsync(flat));
        // 63 negations and the condition: 64 levels, an even count of '!' keeps the match.
        Assert.Equal(0, await CountAsync(Negations(63)));
        Assert.Equal(1, await CountAsync(Negations(62)));
    }

    [Fact]
    public async Task The_view_validator_names_the_path_of_each_limit()
    {
        var schema = await Database.Services.GetRequiredService<SchemaService>().GetAsync();
        static JsonObject Filter(JsonNode expression) => new() { ["id"] = "big", ["limetype"] = "helpdesk", ["name"] = "Big", ["filter"] = expression };

        var (_, deep) = ViewItemValidator.Validate(ViewKind.Filter, Filter(Negations(100_000)), "filters[0]", schema, new Dictionary<string, string>());
        var (_, wide) = ViewItemValidator.Validate(ViewKind.Filter, Filter(InList(50_000)), "filters[1]", schema, new Dictionary<string, string>());
        var (ok, none) = ViewItemValidator.Validate(ViewKind.Filter, Filter(InList(10)), "filters[2]", schema, new Dictionary<string, string>());

        Assert.StartsWith("filters[0].filter.exp.exp", Assert.Single(deep).Path, StringComparison.Ordinal);
        Assert.Equal("filters[1].filter.exp[1].exp", Assert.Single(wide).Path);
        Assert.Contains("the limit is 1,000", wide[0].Message, StringComparison.Ordinal);
        Assert.Empty(none);
        Assert.NotNull(ok);
    }
}
