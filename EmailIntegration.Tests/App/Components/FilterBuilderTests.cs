using System.Text.Json.Nodes;
using Bunit;
using EmailIntegration.App.Components.Shared.Filters;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Tests.Infrastructure;
using MudBlazor.Services;

namespace EmailIntegration.Tests.App.Components;

// MudSwitch takes a service that can only be disposed asynchronously, so the context is disposed that way.
public sealed class FilterBuilderTests : BunitContext, IAsyncLifetime
{
    private static readonly CrmSchema Schema = TestSchemas.Default();
    private readonly List<JsonNode?> raised = [];

    public FilterBuilderTests()
    {
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = 0);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    private IRenderedComponent<FilterBuilder> RenderBuilder(string? json, string limetype = "helpdesk") =>
        Render<FilterBuilder>(p => p
            .Add(x => x.Schema, Schema)
            .Add(x => x.Limetype, limetype)
            .Add(x => x.Value, json is null ? null : JsonNode.Parse(json))
            .Add(x => x.ValueChanged, v => raised.Add(v)));

    private JsonNode? Last => Assert.IsAssignableFrom<JsonNode?>(raised[^1]);

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), $"expected {expected}, got {actual?.ToJsonString() ?? "null"}");

    private const string OpenAndMine = """{"op":"AND","exp":[{"key":"status","op":"!=","exp":"done"},{"key":"coworker","op":"=","exp":"$me"}]}""";

    [Fact]
    public void An_AND_of_two_conditions_is_shown_as_two_conditions_with_their_property_operator_and_value()
    {
        var cut = RenderBuilder(OpenAndMine);

        Assert.Equal(2, cut.FindAll(".ei-fb-condition").Count);
        Assert.Equal("AND", cut.Find("[data-testid=fb-group-op]").GetAttribute("value"));
        Assert.Equal("status", cut.Find("[data-testid=fb-property-0]").GetAttribute("value"));
        Assert.Equal("!=", cut.Find("[data-testid=fb-op-0]").GetAttribute("value"));
        Assert.Equal("done", cut.Find("[data-testid=fb-value-0]").GetAttribute("value"));
        Assert.Equal("coworker", cut.Find("[data-testid=fb-property-1]").GetAttribute("value"));
        Assert.Equal("=", cut.Find("[data-testid=fb-op-1]").GetAttribute("value"));
        Assert.Equal("$me", cut.Find("[data-testid=fb-value-kind-1]").GetAttribute("value"));
        Assert.Empty(raised);
    }

    [Fact]
    public void An_option_property_offers_its_option_keys_with_their_labels()
    {
        var cut = RenderBuilder(OpenAndMine);

        var options = cut.FindAll("[data-testid=fb-value-0] option");
        Assert.Equal(["reported", "started", "done"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal(["Reported", "Started", "Done"], options.Select(o => o.TextContent));
        Assert.Equal(["=", "!=", "IN"], cut.FindAll("[data-testid=fb-op-0] option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public void Editing_an_operator_and_a_value_raises_the_whole_expression_with_the_change()
    {
        var cut = RenderBuilder(OpenAndMine);

        cut.Find("[data-testid=fb-op-0]").Change("=");
        AssertJson("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"key":"coworker","op":"=","exp":"$me"}]}""", Last);

        cut.Find("[data-testid=fb-value-0]").Change("started");
        AssertJson("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"started"},{"key":"coworker","op":"=","exp":"$me"}]}""", Last);

        cut.Find("[data-testid=fb-value-kind-1]").Change("null");
        AssertJson("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"started"},{"key":"coworker","op":"=","exp":null}]}""", Last);

        cut.Find("[data-testid=fb-group-op]").Change("OR");
        Assert.Equal("OR", (string?)Last!["op"]);
    }

    [Fact]
    public void Choosing_IN_turns_the_value_into_a_list_of_values()
    {
        var cut = RenderBuilder(OpenAndMine);

        cut.Find("[data-testid=fb-op-0]").Change("IN");
        AssertJson("""{"key":"status","op":"IN","exp":["done"]}""", Last!["exp"]![0]);

        cut.Find("[data-testid=fb-value-add-0]").Click();
        cut.Find("[data-testid=fb-value-0-1]").Change("started");
        AssertJson("""{"key":"status","op":"IN","exp":["done","started"]}""", Last!["exp"]![0]);
    }

    [Fact]
    public void A_condition_across_a_relation_is_built_by_choosing_the_relation_and_then_its_property()
    {
        var cut = RenderBuilder(null);

        cut.Find("[data-testid=fb-add-condition]").Click();
        cut.Find("[data-testid=fb-property-0]").Change("conversation");
        Assert.Contains(cut.FindAll("[data-testid=fb-property-0-1] option"), o => o.GetAttribute("value") == "earliestunread");
        cut.Find("[data-testid=fb-property-0-1]").Change("earliestunread");
        cut.Find("[data-testid=fb-op-0]").Change("!=");
        cut.Find("[data-testid=fb-value-kind-0]").Change("null");

        AssertJson("""{"key":"conversation.earliestunread","op":"!=","exp":null}""", Last);
    }

    [Fact]
    public void A_relation_to_coworker_offers_me_and_a_number_property_takes_a_number()
    {
        var cut = RenderBuilder(null, "deal");

        cut.Find("[data-testid=fb-add-condition]").Click();
        cut.Find("[data-testid=fb-property-0]").Change("coworker");
        AssertJson("""{"key":"coworker","op":"=","exp":"$me"}""", Last);

        cut.Find("[data-testid=fb-add-condition]").Click();
        cut.Find("[data-testid=fb-property-1]").Change("value");
        cut.Find("[data-testid=fb-op-1]").Change(">=");
        cut.Find("[data-testid=fb-value-1]").Change("1500");
        AssertJson("""{"op":"AND","exp":[{"key":"coworker","op":"=","exp":"$me"},{"key":"value","op":">=","exp":1500}]}""", Last);
    }

    [Fact]
    public void A_group_can_be_added_switched_to_OR_and_removed()
    {
        var cut = RenderBuilder("""{"key":"status","op":"=","exp":"done"}""");

        cut.Find("[data-testid=fb-add-group]").Click();
        AssertJson("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"op":"AND","exp":[]}]}""", Last);

        cut.Find("[data-testid=fb-group-op-1]").Change("OR");
        cut.Find("[data-testid=fb-add-condition-1]").Click();
        cut.Find("[data-testid=fb-property-1]").Change("subject");
        cut.Find("[data-testid=fb-op-1]").Change("?");
        cut.Find("[data-testid=fb-value-1]").Change("invoice");
        AssertJson("""{"op":"AND","exp":[{"key":"status","op":"=","exp":"done"},{"op":"OR","exp":[{"key":"subject","op":"?","exp":"invoice"}]}]}""", Last);

        cut.Find("[data-testid=fb-remove-group-1]").Click();
        AssertJson("""{"key":"status","op":"=","exp":"done"}""", Last);
    }

    [Theory]
    [InlineData("""{"op":"!","exp":{"key":"status","op":"=","exp":"done"}}""")]
    [InlineData("""{"key":"nosuchproperty.name","op":"=","exp":1}""")]
    [InlineData("""{"op":"XOR","exp":[]}""")]
    [InlineData("""{"key":"status","op":"=","exp":"done","comment":"kept"}""")]
    public void An_expression_the_builder_cannot_edit_is_shown_as_JSON_and_kept_unchanged(string unrepresentable)
    {
        var cut = RenderBuilder($$"""{"op":"AND","exp":[{{unrepresentable}},{"key":"status","op":"!=","exp":"done"}]}""");

        Assert.Contains("fb-raw-0", cut.Markup, StringComparison.Ordinal);
        cut.Find("[data-testid=fb-op-0]").Change("=");

        AssertJson($$"""{"op":"AND","exp":[{{unrepresentable}},{"key":"status","op":"=","exp":"done"}]}""", Last);
    }

    [Fact]
    public void A_lone_unrepresentable_expression_stays_first_when_a_condition_is_added()
    {
        const string negation = """{"op":"!","exp":{"op":"OR","exp":[{"key":"status","op":"=","exp":"done"}]}}""";
        var cut = RenderBuilder(negation);

        Assert.Contains("NOT", cut.Find("[data-testid=fb-raw-0]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=fb-add-condition]").Click();
        cut.Find("[data-testid=fb-property-0]").Change("subject");

        AssertJson($$"""{"op":"AND","exp":[{{negation}},{"key":"subject","op":"=","exp":""}]}""", Last);
    }

    [Fact]
    public void A_new_value_from_outside_is_read_again_while_the_echo_of_its_own_change_is_not()
    {
        var cut = RenderBuilder(OpenAndMine);

        cut.Find("[data-testid=fb-add-condition]").Click();
        cut.Render(p => p.Add(x => x.Value, Last));
        Assert.Equal(3, cut.FindAll(".ei-fb-condition").Count);
        Assert.Equal("", cut.Find("[data-testid=fb-property-2]").GetAttribute("value"));

        cut.Render(p => p.Add(x => x.Value, JsonNode.Parse("""{"key":"source","op":"=","exp":"email"}""")));
        Assert.Single(cut.FindAll(".ei-fb-condition"));
        Assert.Equal("source", cut.Find("[data-testid=fb-property-0]").GetAttribute("value"));
        Assert.Equal("email", cut.Find("[data-testid=fb-value-0]").GetAttribute("value"));
    }

    [Fact]
    public void A_yes_no_property_is_a_switch_and_a_time_offers_empty()
    {
        var cut = RenderBuilder("""{"op":"AND","exp":[{"key":"isread","op":"=","exp":false},{"key":"date","op":"=","exp":"2026-01-31T08:00"}]}""", "conversationmessage");

        Assert.Equal(["=", "!=", ">", "<", ">=", "<="], cut.FindAll("[data-testid=fb-op-1] option").Select(o => o.GetAttribute("value")));
        Assert.Equal("datetime-local", cut.Find("[data-testid=fb-value-1]").GetAttribute("type"));
        cut.Find("[data-testid=fb-value-0] input, input[data-testid=fb-value-0]").Change(true);
        AssertJson("""{"key":"isread","op":"=","exp":true}""", Last!["exp"]![0]);

        cut.Find("[data-testid=fb-value-kind-1]").Change("null");
        AssertJson("""{"key":"date","op":"=","exp":null}""", Last!["exp"]![1]);
    }
}
