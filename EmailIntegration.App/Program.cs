using EmailIntegration.App.Components.SignIn;
using EmailIntegration.App.Endpoints;
using EmailIntegration.App.Hosting;
using EmailIntegration.App.Jobs;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Persistence;

// "--demo" makes a demo install: the built-in mailbox, sample mail and users (see README).
var demo = args.Contains("--demo", StringComparer.Ordinal);
var builder = WebApplication.CreateBuilder(args.Where(a => a != "--demo").ToArray());
if (demo)
{
    builder.Configuration[EmailIntegration.Core.Demo.DemoSetup.ConfigurationKey] = "true";
}

// Note: serves MudBlazor's files from its package when running from a build rather than a publish.
builder.WebHost.UseStaticWebAssets();
builder.Host.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });

builder.Services.AddPersistence(builder.Configuration);
builder.Services.AddCrm();
builder.Services.AddMailAccounts(builder.Configuration);
builder.Services.AddImport(builder.Configuration);
builder.Services.AddJobs(builder.Configuration);
builder.Services.AddSignIn(builder.Configuration);
builder.Services.AddUi();

var app = builder.Build();

await app.Services.GetRequiredService<DatabaseInitializer>().InitializeAsync();

app.UseSecurityHeaders();
app.UseAppPipeline();
app.UseNoSniff();
app.MapHealthEndpoints();
app.MapSignInEndpoints();
app.MapOAuthEndpoints();
app.MapFileEndpoints();
app.MapMessageEndpoints();
app.MapViewEndpoints();
app.MapUi();

app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
