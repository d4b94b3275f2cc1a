using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>An App, a shared mailbox in Dovecot with a password account for it, and the guide's runtime configuration.</summary>
public abstract class ImportTestBase : IAsyncLifetime
{
    protected ImportTestBase(TimeProvider? clock = null, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null)
        : this(new AppHost { Clock = clock, ExtraServices = services })
    {
    }

    protected ImportTestBase(AppHost host) => Host = host;

    protected AppHost Host { get; }

    protected TestMailbox Mailbox { get; } = TestMailbox.New();

    protected Guid AccountId { get; private set; }

    public virtual async Task InitializeAsync()
    {
        var saved = await Host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(Mailbox.Address));
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        AccountId = saved.Id!.Value;
        var json = MailStack.SeedRuntimeConfiguration(AccountId);
        var errors = await Host.Get<SettingsStore>().SaveRuntimeAsync(json, "test");
        Assert.Empty(errors);
    }

    /// <summary>Saves the account again with other servers, e.g. through a port the test can take away.</summary>
    protected async Task SaveAccountAsync(Func<MailAccountInput, MailAccountInput> change)
    {
        var saved = await Host.Get<AccountService>().SaveAsync(AccountId, change(MailStack.PasswordAccount(Mailbox.Address)));
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
    }

    protected Task<ImportRun> ImportAsync() => Host.Get<ImportService>().ImportAsync(AccountId, ImportTrigger.Manual);

    protected async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> QueryAsync(string limetype, string? key = null, object? value = null)
    {
        var query = new LimeQuery(limetype)
        {
            Filter = key is null ? null : new System.Text.Json.Nodes.JsonObject { ["key"] = key, ["op"] = "=", ["exp"] = System.Text.Json.Nodes.JsonValue.Create(value) },
            Limit = 1000,
        };
        return await Host.Get<ObjectStore>().QueryAsync(query, QueryContext.Anonymous);
    }

    protected async Task<LimeObject> GetAsync(string limetype, long id) =>
        (await Host.Get<ObjectStore>().GetAsync(limetype, id))!;

    protected static string Raw(string headers, string body) => headers.Trim() + "\r\n\r\n" + body;

    public Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }
}
