using Bunit;
using EmailIntegration.App.Components.Pages.Settings.EmailSettings;
using EmailIntegration.App.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace EmailIntegration.Tests.App.Components;

public sealed class SharedComponentTests : BunitContext
{
    public SharedComponentTests()
    {
        Services.AddMudServices(o => o.SnackbarConfiguration.ShowTransitionDuration = 0);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void The_empty_state_says_what_will_be_there()
    {
        var cut = Render<EmptyState>(p => p
            .Add(x => x.Title, "No accounts yet")
            .Add(x => x.Icon, Icons.Material.Outlined.Inbox)
            .AddChildContent("Shared mailboxes will be listed here."));

        Assert.Equal("No accounts yet", cut.Find("h6").TextContent);
        Assert.Contains("Shared mailboxes will be listed here.", cut.Markup, StringComparison.Ordinal);
        Assert.NotNull(cut.Find("[data-testid=empty-state] svg"));
    }

    [Fact]
    public void The_settings_tabs_link_the_seven_pages_in_the_guides_order_and_mark_the_open_one()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/settings/email-integration/accounts");

        var cut = Render<SettingsTabs>();

        var links = cut.FindAll("nav.ei-tabs a");
        Assert.Equal(
            ["OAuth2 Applications", "Templates", "Accounts", "Runtime configuration", "Application configuration", "Server configuration", "Logs"],
            links.Select(a => a.TextContent.Trim()).ToArray());
        Assert.All(links, a => Assert.StartsWith("/settings/email-integration/", a.GetAttribute("href"), StringComparison.Ordinal));
        var active = Assert.Single(cut.FindAll("a.ei-tab-active"));
        Assert.Equal("Accounts", active.TextContent.Trim());
    }
}
