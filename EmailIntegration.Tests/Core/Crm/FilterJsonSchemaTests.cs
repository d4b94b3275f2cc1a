using System.Text.Json.Nodes;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Crm;

public sealed class FilterJsonSchemaTests
{
    private static readonly EmailIntegration.Core.Crm.Schema.CrmSchema Schema = TestSchemas.Default();

    private static string[] Keys(string limetype) =>
        JsonNode.Parse(FilterJsonSchema.For(Schema, limetype))!["definitions"]!["condition"]!["properties"]!["key"]!["enum"]!
            .AsArray().Select(k => (string)k!).ToArray();

    [Fact]
    public void The_keys_of_a_ticket_filter_are_its_properties_the_system_keys_and_paths_across_two_relations()
    {
        var keys = Keys("helpdesk");

        Assert.Contains("status", keys);
        Assert.Contains("coworker", keys);
        Assert.Contains("_id", keys);
        Assert.Contains("_createdtime", keys);
        Assert.Contains("_timestamp", keys);
        Assert.Contains("_updatedby", keys);
        Assert.Contains("person.mobilephone", keys);
        Assert.Contains("person.company.name", keys);
        Assert.Contains("conversation", keys);
        Assert.Contains("conversation.earliestunread", keys);
        Assert.Contains("conversation.conversationmessage.isread", keys);
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Paths_stop_after_two_relations()
    {
        var keys = Keys("helpdesk");

        Assert.Contains("conversation.conversationmessage", keys);
        Assert.DoesNotContain("conversation.conversationmessage.follower.name", keys);
        Assert.All(keys, k => Assert.True(k.Split('.').Length <= 3, k));
    }

    [Fact]
    public void The_operators_are_those_of_the_filter_language()
    {
        var json = JsonNode.Parse(FilterJsonSchema.For(Schema, "helpdesk"))!;
        var ops = json["definitions"]!["condition"]!["properties"]!["op"]!["enum"]!.AsArray().Select(o => (string)o!);

        Assert.Equal(["=", "!=", ">", "<", ">=", "<=", "IN", "=?", "?", "!"], ops);
        Assert.Equal(["AND", "OR"], json["definitions"]!["group"]!["properties"]!["op"]!["enum"]!.AsArray().Select(o => (string)o!));
        Assert.Equal("!", (string)json["definitions"]!["not"]!["properties"]!["op"]!["const"]!);
    }

    [Fact]
    public void Groups_and_negations_hold_expressions_again()
    {
        var json = JsonNode.Parse(FilterJsonSchema.For(Schema, "helpdesk"))!;

        Assert.Equal("#/definitions/expression", (string)json["$ref"]!);
        Assert.Equal("#/definitions/expression", (string)json["definitions"]!["group"]!["properties"]!["exp"]!["items"]!["$ref"]!);
        Assert.Equal("#/definitions/expression", (string)json["definitions"]!["not"]!["properties"]!["exp"]!["$ref"]!);
        Assert.Equal(3, json["definitions"]!["expression"]!["oneOf"]!.AsArray().Count);
    }

    [Fact]
    public void An_unknown_limetype_is_refused()
    {
        Assert.Throws<EmailIntegration.Core.Crm.Schema.CrmException>(() => FilterJsonSchema.For(Schema, "nosuchtype"));
    }
}
