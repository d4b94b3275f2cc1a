using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>Templates per account and language, the most specific one wins, the shipped default last.</summary>
public sealed class TemplateTests : IDisposable
{
    private readonly AppHost host = new();

    [Fact]
    public async Task The_most_specific_template_is_chosen_and_the_default_when_none_fits()
    {
        var accounts = host.Get<AccountService>();
        var desk = (await accounts.SaveAsync(null, new MailAccountInput("Desk", "desk@example.test", AccountAuthentication.Password, null, null,
            new("127.0.0.1", 993, EmailIntegration.Core.Mail.MailSecurity.SslOnConnect), new("127.0.0.1", 587, EmailIntegration.Core.Mail.MailSecurity.StartTls), null, "pw"))).Id!.Value;
        var other = (await accounts.SaveAsync(null, new MailAccountInput("Other", "other@example.test", AccountAuthentication.Password, null, null,
            new("127.0.0.1", 993, EmailIntegration.Core.Mail.MailSecurity.SslOnConnect), new("127.0.0.1", 587, EmailIntegration.Core.Mail.MailSecurity.StartTls), null, "pw"))).Id!.Value;
        var templates = host.Get<TemplateService>();

        Assert.Equal(TemplateService.DefaultHtml(TemplateKind.Notification), await templates.ResolveAsync(TemplateKind.Notification, desk, "sv"));

        await Save(templates, "all", null, null);
        await Save(templates, "all-sv", null, "sv");
        await Save(templates, "desk", desk, null);
        await Save(templates, "desk-sv", desk, "SV");

        Assert.Equal("<p>desk-sv</p>", await templates.ResolveAsync(TemplateKind.Notification, desk, "sv"));
        Assert.Equal("<p>desk-sv</p>", await templates.ResolveAsync(TemplateKind.Notification, desk, "sv-SE"));
        Assert.Equal("<p>desk</p>", await templates.ResolveAsync(TemplateKind.Notification, desk, "en"));
        Assert.Equal("<p>desk</p>", await templates.ResolveAsync(TemplateKind.Notification, desk, null));
        Assert.Equal("<p>all-sv</p>", await templates.ResolveAsync(TemplateKind.Notification, other, "sv"));
        Assert.Equal("<p>all</p>", await templates.ResolveAsync(TemplateKind.Notification, other, "de"));
        // Another kind has its own templates.
        Assert.Equal(TemplateService.DefaultHtml(TemplateKind.AutoReply), await templates.ResolveAsync(TemplateKind.AutoReply, desk, "sv"));
    }

    [Fact]
    public async Task Saving_names_what_is_wrong_and_keeps_nothing_broken()
    {
        var templates = host.Get<TemplateService>();

        var unknown = await templates.SaveAsync(null, new TemplateInput("Typo", TemplateKind.Notification, null, null, "<p>{{ recipent_name }} {{ sender_name }}</p>"));
        Assert.False(unknown.Succeeded);
        Assert.Contains("{{ recipent_name }}", unknown.Errors["html"], StringComparison.Ordinal);

        var empty = await templates.SaveAsync(null, new TemplateInput("", TemplateKind.Notification, null, "not a language!", " "));
        Assert.Equal(["html", "language", "name"], empty.Errors.Keys.Order());

        Assert.True((await templates.SaveAsync(null, new TemplateInput("First", TemplateKind.Notification, null, "en", "<p>1</p>"))).Succeeded);
        var clash = await templates.SaveAsync(null, new TemplateInput("Second", TemplateKind.Notification, null, "en", "<p>2</p>"));
        Assert.Contains("\"First\"", clash.Errors["language"], StringComparison.Ordinal);
        Assert.Single(await templates.ListAsync());
    }

    [Fact]
    public async Task The_preview_renders_a_template_against_sample_people()
    {
        var html = await host.Get<TemplatePreview>().PreviewAsync("<p>{{ recipient_name }} / {{ num_followers }}</p>{{ conversation_messages }}", TemplateKind.Notification, null);
        Assert.StartsWith("<p>Bo Berg / 2</p>", html, StringComparison.Ordinal);
        Assert.Contains("my printer only blinks", html, StringComparison.Ordinal);
    }

    private static async Task Save(TemplateService templates, string name, Guid? account, string? language)
    {
        var result = await templates.SaveAsync(null, new TemplateInput(name, TemplateKind.Notification, account, language, $"<p>{name}</p>"));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
    }

    public void Dispose() => host.Dispose();
}
