using System.Net;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.App.Security;

/// <summary>Who may open what, checked against the App's own route table rather than a hand-made list.</summary>
public sealed class AccessControlTests : IDisposable
{
    // The only pages a person may open without signing in. Adding one must be a deliberate change here.
    private static readonly string[] AnonymousPages = ["/account/login", "/error", "/not-found", "/setup"];

    private readonly AppHost host = new();

    private List<(string Route, EndpointMetadataCollection Metadata)> Pages()
    {
        _ = host.BaseUri;
        var sources = host.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        return sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
            .Select(e => ("/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata))
            .Distinct()
            .ToList();
    }

    [Fact]
    public void The_route_table_has_the_settings_tabs_and_only_the_expected_anonymous_pages()
    {
        var pages = Pages();

        Assert.Contains(pages, p => p.Route == "/settings/email-integration/accounts");
        Assert.Equal(AnonymousPages, pages.Where(p => p.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(p => p.Route).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Every_page_that_is_not_public_redirects_an_anonymous_request_to_sign_in()
    {
        await host.CreateUserAsync(Roles.Administrator);
        using var session = host.NewSession();
        var protectedPages = Pages().Where(p => p.Metadata.GetMetadata<IAllowAnonymous>() is null).ToList();
        Assert.True(protectedPages.Count >= 10, $"only {protectedPages.Count} protected pages found");

        foreach (var (route, _) in protectedPages)
        {
            using var response = await session.GetAsync(route.Replace("{", "x", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal));
            Assert.True(response.StatusCode == HttpStatusCode.Found, $"{route} answered {(int)response.StatusCode}");
            Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
            Assert.Contains("ReturnUrl=", response.Headers.Location.Query, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Settings_pages_refuse_a_support_user_and_open_for_an_administrator()
    {
        var support = await host.CreateUserAsync(Roles.Support);
        var admin = await host.CreateUserAsync(Roles.Administrator);
        using var supportSession = host.NewSession();
        using var adminSession = host.NewSession();
        using (var _ = await supportSession.SignInAsync(support, AppHost.SupportPassword)) { }
        using (var _ = await adminSession.SignInAsync(admin, AppHost.AdminPassword)) { }
        var settings = Pages().Select(p => p.Route).Where(r => r.StartsWith("/settings", StringComparison.Ordinal)).ToList();
        Assert.True(settings.Count >= 9, $"only {settings.Count} settings pages found");

        foreach (var route in settings)
        {
            using var refused = await supportSession.GetAsync(route);
            Assert.True(refused.StatusCode == HttpStatusCode.Found, $"{route} answered {(int)refused.StatusCode} to support");
            Assert.Equal("/account/access-denied", refused.Headers.Location!.AbsolutePath);

            using var allowed = await adminSession.GetAsync(route);
            Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"{route} answered {(int)allowed.StatusCode} to an administrator");
        }

        using var start = await supportSession.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
    }

    [Fact]
    public async Task The_configuration_export_is_served_to_administrators_only()
    {
        var support = await host.CreateUserAsync(Roles.Support);
        var admin = await host.CreateUserAsync(Roles.Administrator);
        await host.Get<EmailIntegration.Core.Views.ConfigImporter>().ImportAsync(
            """[{"id": "open", "limetype": "helpdesk", "name": "Open", "filter": {"key": "status", "op": "!=", "exp": "done"}}]""", "test");
        using var anonymous = host.NewSession();
        using var supportSession = host.NewSession();
        using var adminSession = host.NewSession();
        using (var _ = await supportSession.SignInAsync(support, AppHost.SupportPassword)) { }
        using (var _ = await adminSession.SignInAsync(admin, AppHost.AdminPassword)) { }

        using var nobody = await anonymous.GetAsync("/settings/config-importer/export");
        using var refused = await supportSession.GetAsync("/settings/config-importer/export");
        using var allowed = await adminSession.GetAsync("/settings/config-importer/export?items=Filter:open");

        Assert.Equal("/account/login", nobody.Headers.Location?.AbsolutePath);
        Assert.Equal("/account/access-denied", refused.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        var file = System.Text.Json.Nodes.JsonNode.Parse(await allowed.Content.ReadAsStringAsync())!;
        Assert.Equal("open", file["filters"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_is_public_but_the_circuit_hub_is_not()
    {
        using var session = host.NewSession();

        using var health = await session.GetAsync("/healthz");
        using var hub = await session.GetAsync("/_blazor/negotiate");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, hub.StatusCode);
    }

    public void Dispose() => host.Dispose();
}
