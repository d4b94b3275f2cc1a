using EmailIntegration.App.Components.SignIn;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Identity.Web;

namespace EmailIntegration.App.Hosting;

internal static class SignInServiceCollectionExtensions
{
    public const string EntraIdScheme = "EntraId";

    private const string EntraIdMetadataClient = "EntraIdMetadata";

    /// <summary>Cookie sign-in for local users, optional Microsoft Entra ID, roles and the fallback policy.</summary>
    public static IServiceCollection AddSignIn(this IServiceCollection services, IConfiguration configuration)
    {
        var authentication = services.AddAuthentication(options =>
        {
            options.DefaultScheme = IdentityConstants.ApplicationScheme;
            options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
        });
        authentication.AddIdentityCookies();

        var entra = configuration.GetSection("Authentication:EntraId");
        if (!string.IsNullOrWhiteSpace(entra["ClientId"]))
        {
            // Entra ID sign-ins are matched to local users by the email Entra ID reports; only the customer's own
            // directory may vouch for that, never a multi-tenant endpoint where anyone can register a name.
            var tenant = entra["TenantId"]?.Trim() ?? "";
            if (tenant.Length == 0 || tenant is "common" or "organizations" or "consumers")
            {
                throw new InvalidOperationException(
                    "Authentication:EntraId:TenantId must be your directory (tenant) id when Authentication:EntraId:ClientId is set; " +
                    "multi-tenant values such as 'common' are not accepted.");
            }

            // Entra ID only proves who someone is; the local user (matched by email) decides the role.
            authentication.AddMicrosoftIdentityWebApp(
                options =>
                {
                    entra.Bind(options);
                    options.SignInScheme = IdentityConstants.ExternalScheme;
                },
                cookieScheme: null,
                openIdConnectScheme: EntraIdScheme,
                displayName: "Microsoft Entra ID");
            services.AddOptions<OpenIdConnectOptions>(EntraIdScheme).Configure<Microsoft.Extensions.Options.IOptions<EmailIntegration.Core.Security.TlsOptions>>((o, tls) =>
            {
                o.SignInScheme = IdentityConstants.ExternalScheme;
                // Metadata, keys and the code exchange trust what the mail and provider connections trust
                // (EmailIntegration:Tls:TrustedCertificates), for a directory behind a private certificate authority.
                o.BackchannelHttpHandler = tls.Value.CreateHttpHandler();
            });
            // The issuer check reads the directory's metadata with a client of its own: the same trust for it.
            services.Configure<AadIssuerValidatorOptions>(o => o.HttpClientName = EntraIdMetadataClient);
            services.AddHttpClient(EntraIdMetadataClient).ConfigurePrimaryHttpMessageHandler(
                provider => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmailIntegration.Core.Security.TlsOptions>>().Value.CreateHttpHandler());
        }

        services.AddUsers();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/access-denied";
            options.Cookie.Name = "EmailIntegration.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
            options.SlidingExpiration = true;
        });
        // A disabled user or a changed role takes effect within a minute, not at cookie expiry.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Administrator, p => p.RequireRole(Roles.Administrator))
            .AddPolicy(Policies.LimetypeRead, p => p.RequireAuthenticatedUser().AddRequirements(new LimetypeReadRequirement()));
        services.AddSingleton<IAuthorizationHandler, LimetypeReadHandler>();

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingIdentityAuthenticationStateProvider>();
        services.AddHttpContextAccessor();
        return services;
    }
}
