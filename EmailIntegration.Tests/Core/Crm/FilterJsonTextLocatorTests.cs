using EmailIntegration.Core.Crm.Query;

namespace EmailIntegration.Tests.Core.Crm;

public sealed class FilterJsonTextLocatorTests
{
    private const string Expression = """
        {
          "op": "AND",
          "exp": [
            { "key": "status", "op": "!=", "exp": "done" },
            {
              "key": "nosuch",
              "op": "=",
              "exp": 1
            }
          ]
        }
        """;

    [Fact]
    public void A_query_error_path_that_names_the_filter_finds_the_line_in_an_expression_alone()
    {
        Assert.Equal(new JsonTextPosition(6, 14), JsonTextLocator.Locate(Expression, "filter.exp[1].key"));
        Assert.Equal(4, JsonTextLocator.Locate(Expression, "filter.exp[0].op")!.Value.Line);
    }

    [Fact]
    public void The_same_path_finds_the_line_inside_a_whole_filter_document()
    {
        var document = "{\n  \"id\": \"x\",\n  \"filter\": " + Expression.Replace("\n", "\n  ", StringComparison.Ordinal) + "\n}";

        Assert.Equal(8, JsonTextLocator.Locate(document, "filter.exp[1].key")!.Value.Line);
    }

    [Fact]
    public void A_missing_part_of_a_path_points_at_what_encloses_it()
    {
        Assert.Equal(5, JsonTextLocator.Locate(Expression, "filter.exp[1].comment")!.Value.Line);
        Assert.Equal(1, JsonTextLocator.Locate(Expression, "filter")!.Value.Line);
    }

    [Fact]
    public void Broken_text_still_places_what_comes_before_the_break_and_empty_text_places_nothing()
    {
        Assert.Equal(4, JsonTextLocator.Locate(Expression[..120], "filter.exp[0].exp")!.Value.Line);
        Assert.Null(JsonTextLocator.Locate("", "filter.exp"));
    }
}
