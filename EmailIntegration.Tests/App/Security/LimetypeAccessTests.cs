using System.Net;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Storage;
using EmailIntegration.Core.Users;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.App.Security;

/// <summary>
/// Roles on data, not only on pages: every route of the App that takes a limetype (record pages and
/// file downloads, read from the App's own route table) refuses support staff for every admin-only
/// limetype, and serves them every other one.
/// </summary>
public sealed class LimetypeAccessTests : IDisposable
{
    private readonly AppHost host = new();

    private List<RoutePattern> LimetypeRoutes()
    {
        _ = host.BaseUri;
        return host.Services.GetRequiredService<IEnumerable<EndpointDataSource>>()
            .SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern)
            .Where(p => p.Parameters.Any(IsLimetype))
            .DistinctBy(p => p.RawText)
            .ToList();
    }

    private static bool IsLimetype(RoutePatternParameterPart part) => string.Equals(part.Name, "limetype", StringComparison.OrdinalIgnoreCase);

    /// <summary>The route with its limetype filled in and every other parameter set to the record id.</summary>
    private static string Fill(RoutePattern pattern, string limetype, long id) =>
        "/" + string.Join('/', pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter when IsLimetype(parameter) => limetype,
            RoutePatternParameterPart => id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => "",
        }))));

    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Forbidden
        || (response.StatusCode == HttpStatusCode.Found && response.Headers.Location?.AbsolutePath == "/account/access-denied");

    private async Task<long> FailedMessageAsync()
    {
        var key = await host.Get<IFileStore>().SaveAsync("message.eml",
            (stream, ct) => stream.WriteAsync("Subject: secret\r\n\r\nraw mail\r\n"u8.ToArray(), ct).AsTask(), CancellationToken.None);
        return await host.Get<ObjectStore>().CreateAsync("importerror", new Dictionary<string, object?>
        {
            ["account"] = "support@example.test",
            ["reason"] = "test",
            ["subject"] = "secret",
            ["status"] = "failed",
            ["rawmessage"] = key,
        }, "test");
    }

    [Fact]
    public void Import_errors_are_admin_only_and_the_limetypes_support_works_with_are_not()
    {
        Assert.True(LimetypeAccess.IsAdminOnly("importerror"));
        foreach (var name in new[] { "helpdesk", "person", "company", "coworker", "deal", "conversation", "conversationmessage", "document", "embeddedfile" })
        {
            Assert.False(LimetypeAccess.IsAdminOnly(name), name);
        }
    }

    [Fact]
    public async Task Every_limetype_route_refuses_support_for_admin_only_limetypes_and_serves_the_others()
    {
        var support = await host.CreateUserAsync(Roles.Support);
        var admin = await host.CreateUserAsync(Roles.Administrator);
        using var supportSession = host.NewSession();
        using var adminSession = host.NewSession();
        using (var _ = await supportSession.SignInAsync(support, AppHost.SupportPassword)) { }
        using (var _ = await adminSession.SignInAsync(admin, AppHost.AdminPassword)) { }
        var failure = await FailedMessageAsync();
        var limetypes = (await host.Get<SchemaService>().GetAsync()).Limetypes.Keys.ToList();
        var routes = LimetypeRoutes();
        Assert.Contains(routes, r => r.RawText!.StartsWith("/files/", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.RawText!.TrimStart('/').StartsWith("objects/", StringComparison.Ordinal));
        Assert.True(routes.Count >= 3, $"only {routes.Count} limetype routes found");
        Assert.Contains("importerror", limetypes);

        foreach (var route in routes)
        {
            foreach (var limetype in limetypes)
            {
                var path = Fill(route, limetype, LimetypeAccess.IsAdminOnly(limetype) ? failure : 1);
                using var response = await supportSession.GetAsync(path);
                if (LimetypeAccess.IsAdminOnly(limetype))
                {
                    Assert.True(IsRefusal(response), $"{path} answered {(int)response.StatusCode} {response.Headers.Location} to support");
                    using var allowed = await adminSession.GetAsync(path);
                    Assert.True(allowed.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)allowed.StatusCode} to an administrator");
                }
                else
                {
                    Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                        $"{path} answered {(int)response.StatusCode} {response.Headers.Location} to support");
                }
            }
        }
    }

    [Fact]
    public async Task Support_never_gets_the_raw_message_of_a_failure_and_is_not_offered_the_failures()
    {
        await host.CreateUserAsync(Roles.Administrator);
        var support = await host.CreateUserAsync(Roles.Support);
        using var session = host.NewSession();
        using (var _ = await session.SignInAsync(support, AppHost.SupportPassword)) { }
        var failure = await FailedMessageAsync();

        using var file = await session.GetAsync($"/files/importerror/{failure}");
        using var list = await session.GetAsync("/objects/importerror");
        using var card = await session.GetAsync($"/objects/importerror/{failure}");
        using var start = await session.GetAsync("/");

        Assert.True(file.StatusCode == HttpStatusCode.Forbidden, $"{(int)file.StatusCode} {file.Headers.Location}");
        Assert.DoesNotContain("raw mail", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("/account/access-denied", list.Headers.Location?.AbsolutePath);
        Assert.Equal("/account/access-denied", card.Headers.Location?.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.DoesNotContain("/objects/importerror", await start.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("2026/01/no-such-file.eml")]
    public async Task A_stored_key_outside_the_file_store_answers_404_and_is_logged_without_the_key(string key)
    {
        var admin = await host.CreateUserAsync(Roles.Administrator);
        using var session = host.NewSession();
        using (var _ = await session.SignInAsync(admin, AppHost.AdminPassword)) { }
        var id = await host.Get<ObjectStore>().CreateAsync("importerror", new Dictionary<string, object?>
        {
            ["account"] = "support@example.test",
            ["reason"] = "test",
            ["status"] = "failed",
            ["rawmessage"] = key,
        }, "test");

        using var response = await session.GetAsync($"/files/importerror/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var warning = host.Logs.Text.Split('\n').Single(l => l.Contains($"importerror {id} ", StringComparison.Ordinal));
        Assert.Contains("Warning", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(key, warning, StringComparison.Ordinal);
    }

    public void Dispose() => host.Dispose();
}
