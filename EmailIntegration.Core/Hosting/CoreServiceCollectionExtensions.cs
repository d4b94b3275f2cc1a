using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Changes;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Demo;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Mail.BuiltIn;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Storage;
using EmailIntegration.Core.Users;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EmailIntegration.Core.Hosting;

public static class CoreServiceCollectionExtensions
{
    /// <summary>The data folder, the database, Data Protection and the clock.</summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        var dataFolder = configuration.GetSection(DataFolderOptions.SectionName).Get<DataFolderOptions>() ?? new DataFolderOptions();
        dataFolder.EnsureCreated();
        services.AddSingleton(dataFolder);
        services.AddSingleton(TimeProvider.System);

        services.AddDbContextFactory<AppDbContext>(options => options.UseSqlite(dataFolder.ConnectionString).AddInterceptors(new SqliteConnectionPragmas()));
        services.AddSingleton<DatabaseInitializer>();

        // The key ring protects sign-in cookies, antiforgery tokens and stored secrets; it lives
        // beside the database so a restart or a second node with the same data folder keeps them valid.
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("EmailIntegration")
            .PersistKeysToFileSystem(new DirectoryInfo(dataFolder.KeyRingPath));
        var keyRing = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        services.AddSingleton(keyRing);
        if (keyRing.Protected)
        {
            // Note: on Linux there is no certificate store to find the decrypting certificate in; it is given too.
            var certificate = keyRing.LoadCertificate();
            dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary>The CRM object store: schema of limetypes, objects and the Lime filter query engine.</summary>
    public static IServiceCollection AddCrm(this IServiceCollection services)
    {
        services.AddSingleton<SchemaService>();
        services.AddSingleton<ISchemaDependency, RuntimeConfigurationDependency>();
        services.AddSingleton<ISchemaDependency, Views.ViewDependency>();
        services.AddSingleton<ChangeFeed>();
        services.AddSingleton<ObjectStore>();
        services.AddSingleton<Views.ViewConfigurationService>();
        services.AddSingleton<Views.ConfigImporter>();
        // Last activity and "Search all mail"; the database's start-up step fills them for older data.
        services.TryAddSingleton<SettingsStore>();
        services.TryAddSingleton<Inbox.IMailSearchIndex, Inbox.SqliteMailSearchIndex>();
        services.AddSingleton<Inbox.InboxRecorder>();
        services.AddSingleton<Inbox.InboxBackfill>();
        services.AddSingleton<Inbox.InboxService>();
        return services;
    }

    /// <summary>
    /// OAuth2 applications, shared mail accounts, their tokens and connection tests. Provider
    /// endpoints, mail hosts and extra trusted certificates come from configuration.
    /// </summary>
    public static IServiceCollection AddMailAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        MessageReader.RegisterLegacyCharsets();
        services.Configure<OAuthProviderOptions>(configuration.GetSection(OAuthProviderOptions.SectionName));
        services.Configure<TlsOptions>(configuration.GetSection(TlsOptions.SectionName));
        services.AddSingleton<SecretProtector>();
        services.AddSingleton<OAuthHttp>();
        services.AddSingleton<IOAuthTokenClient, MicrosoftTokenClient>();
        services.AddSingleton<IOAuthTokenClient, GoogleTokenClient>();
        services.AddSingleton<OAuthApplicationService>();
        services.AddSingleton<AccountService>();
        services.AddSingleton<AccountCredentials>();
        services.AddSingleton<MailDiagnostics>();
        services.AddSingleton<AccountChecks>();
        services.AddSingleton<ConsentService>();
        services.Configure<BuiltInMailOptions>(configuration.GetSection(BuiltInMailOptions.Section));
        // Demo mode needs the built-in mailbox, whatever the configuration says.
        services.PostConfigure<BuiltInMailOptions>(o => o.Enabled |= configuration.GetValue<bool>(DemoSetup.ConfigurationKey));
        services.AddSingleton<MailStore>();
        services.AddSingleton<BuiltInMailbox>();
        services.AddSingleton<DemoSetup>();
        services.AddSingleton<DemoMail>();
        services.AddSingleton(provider =>
        {
            var simulator = ActivatorUtilities.CreateInstance<CustomerSimulator>(provider);
            simulator.Enabled = configuration.GetValue<bool>("EmailIntegration:CustomerSimulator:Enabled");
            simulator.Delay = configuration.GetValue("EmailIntegration:CustomerSimulator:Delay", TimeSpan.FromSeconds(15));
            return simulator;
        });
        return services;
    }

    /// <summary>
    /// The import pipeline: stored configurations, the file store, the message handlers (the
    /// built-in importer first; others register an <see cref="IIncomingMessageHandler"/> too).
    /// </summary>
    public static IServiceCollection AddImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ImportOptions>(configuration.GetSection(ImportOptions.SectionName));
        services.TryAddSingleton<SettingsStore>();
        services.AddSingleton<IFileStore, DataFolderFileStore>();
        services.AddSingleton<IIncomingMessageHandler, RecordImporter>();
        services.AddSingleton<ImportService>();
        services.AddSingleton<Import.Archive.ArchiveImportService>();
        services.AddSingleton<InboxWatcher>();
        services.AddSingleton<MissingParents>();
        services.AddSingleton<ImportRecovery>();
        services.AddSingleton<ImportLogService>();
        services.AddSingleton<Conversations.ConversationService>();
        services.AddNotifications(configuration);
        return services;
    }

    /// <summary>Templates, the hub's fan-out, the outbox and its sender, replies and reminders.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        // Hosts with the send job replace it with one that wakes the job.
        services.TryAddSingleton<IOutboxSignal, NoOutboxSignal>();
        services.AddSingleton<TemplateService>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<TemplatePreview>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<OutboxLog>();
        services.AddSingleton<ReplyService>();
        services.AddSingleton<SecretExpiryReminders>();
        return services;
    }

    /// <summary>Local users with ASP.NET Core Identity, roles Administrator and Support.</summary>
    public static IdentityBuilder AddUsers(this IServiceCollection services)
    {
        services.AddSingleton<UserAdministration>();
        return services.AddIdentityCore<AppUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppUserClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
    }
}
