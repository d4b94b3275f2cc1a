using Microsoft.Extensions.FileProviders;
using MudBlazor;
using MudBlazor.Services;

namespace EmailIntegration.App.Hosting;

internal static class UiServiceCollectionExtensions
{
    public static IServiceCollection AddUi(this IServiceCollection services)
    {
        // Note: the default 32 KB closes the circuit on one large input (a pasted configuration file);
        // 1 MB takes the largest text an admin pastes, and uploads stream in chunks anyway.
        services.AddRazorComponents().AddInteractiveServerComponents()
            .AddHubOptions(o => o.MaximumReceiveMessageSize = 1024 * 1024);
        services.AddScoped<Components.Shared.Connection.ConnectionState>();
        services.AddScoped<Components.Shared.Live.LiveChanges>();
        services.AddSingleton<Components.Shared.Live.TicketPresence>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, Components.Shared.Connection.ConnectionTracker>();
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomRight;
            config.SnackbarConfiguration.PreventDuplicates = false;
        });
        services.AddAntiforgery(o => o.Cookie.Name = "EmailIntegration.Antiforgery");
        return services;
    }

    public static WebApplication UseAppPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapUi(this WebApplication app)
    {
        // The sign-in page needs its styles before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();

        var assets = FindAssetsFolder(app.Environment);
        if (assets is not null)
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(assets),
                RequestPath = "/assets",
            });
        }

        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>wwwroot-assets at the repository root when run from source, else the copy beside the binaries.</summary>
    private static string? FindAssetsFolder(IWebHostEnvironment environment)
    {
        string[] candidates =
        [
            Path.Combine(environment.ContentRootPath, "wwwroot-assets"),
            Path.Combine(environment.ContentRootPath, "..", "wwwroot-assets"),
            Path.Combine(AppContext.BaseDirectory, "wwwroot-assets"),
        ];
        return candidates.Select(Path.GetFullPath).FirstOrDefault(Directory.Exists);
    }
}
