using Bunit;
using EmailIntegration.App.Components.Shared.Filters;
using MudBlazor.Services;

namespace EmailIntegration.Tests.App.Components;

public sealed class FilterJsonCodeEditorTests : BunitContext
{
    public FilterJsonCodeEditorTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void The_editor_gets_its_height_and_test_id_and_hands_Monaco_a_container_of_its_own()
    {
        var cut = Render<JsonCodeEditor>(p => p
            .Add(x => x.Value, """{"key":"status","op":"=","exp":"done"}""")
            .Add(x => x.Height, "200px")
            .AddUnmatched("data-testid", "filter-json"));

        var outer = cut.Find("[data-testid=filter-json]");
        Assert.Contains("height: 200px", outer.GetAttribute("style"), StringComparison.Ordinal);
        Assert.StartsWith("ei-json-", outer.QuerySelector(".ei-json-editor-monaco")!.Id, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Before_Monaco_is_ready_the_value_asked_for_is_the_one_given()
    {
        var cut = Render<JsonCodeEditor>(p => p.Add(x => x.Value, "{}"));

        Assert.Equal("{}", await cut.Instance.GetValueAsync());
    }
}
