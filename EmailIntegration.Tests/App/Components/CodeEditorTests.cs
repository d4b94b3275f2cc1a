using Bunit;
using EmailIntegration.App.Components.Shared.Filters;
using MudBlazor.Services;

namespace EmailIntegration.Tests.App.Components;

public sealed class FilterCodeEditorTests : BunitContext
{
    public FilterCodeEditorTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void The_editor_gets_its_height_and_test_id_and_hands_Monaco_a_container_of_its_own()
    {
        var cut = Render<CodeEditor>(p => p
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
        var cut = Render<CodeEditor>(p => p.Add(x => x.Value, "{}"));

        Assert.Equal("{}", await cut.Instance.GetValueAsync());
    }

    private const string Module = "./Components/Shared/Filters/CodeEditor.razor.js";

    // Monaco as far as the component sees it: the module attaches, and getValue returns what "was typed".
    private (BunitJSModuleInterop Module, Action<string> Type) FakeMonaco(string initial)
    {
        var module = JSInterop.SetupModule(Module);
        module.Mode = JSRuntimeMode.Loose;
        module.Setup<bool>("attach", _ => true).SetResult(true);
        JSInterop.Setup<string>("blazorMonaco.editor.getValue", _ => true).SetResult(initial);
        return (module, t =>
        {
            JSInterop.Setup<string>("blazorMonaco.editor.getValue", _ => true).SetResult(t);
        }
        );
    }

    [Fact]
    public async Task Settled_text_is_read_from_the_editor_and_raised_and_a_re_render_does_not_put_the_old_text_back()
    {
        var (module, type) = FakeMonaco("{}");
        var raised = new List<string>();
        var cut = Render<CodeEditor>(p => p.Add(x => x.Value, "{}").Add(x => x.ValueChanged, v => raised.Add(v)));
        cut.WaitForAssertion(() => Assert.Contains(module.Invocations, i => i.Identifier == "attach"));

        type("""{"key":"status"}""");
        await cut.InvokeAsync(cut.Instance.OnContentSettled);
        Assert.Equal(["""{"key":"status"}"""], raised);

        // The owner re-renders with the old Value (it did not bind) and then with the echo: the editor keeps its text.
        cut.Render(p => p.Add(x => x.Value, "{}"));
        cut.Render(p => p.Add(x => x.Value, """{"key":"status"}"""));
        Assert.DoesNotContain(module.Invocations, i => i.Identifier == "setValue");
        Assert.Equal("""{"key":"status"}""", await cut.InvokeAsync(cut.Instance.GetValueAsync));
    }

    [Fact]
    public void A_value_from_outside_that_differs_from_the_editor_replaces_its_text_and_the_schema_and_markers_reach_Monaco()
    {
        var (module, _) = FakeMonaco("{}");
        var cut = Render<CodeEditor>(p => p.Add(x => x.Value, "{}").Add(x => x.JsonSchema, """{"type":"object"}"""));
        cut.WaitForAssertion(() => Assert.Contains(module.Invocations, i => i.Identifier == "setSchema"));

        cut.Render(p => p
            .Add(x => x.Value, """{"key":"subject","op":"=","exp":"x"}""")
            .Add(x => x.Markers, [new JsonEditorMarker("Unknown property", Line: 1)]));

        var setValue = Assert.Single(module.Invocations, i => i.Identifier == "setValue");
        Assert.Equal("""{"key":"subject","op":"=","exp":"x"}""", setValue.Arguments[1]);
        Assert.Contains(module.Invocations, i => i.Identifier == "setMarkers");
    }
}
