using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Tests.Core.Import;

public sealed class CustomHandlerTests() : ImportTestBase(services: s => s.AddSingleton<IIncomingMessageHandler, CustomHandlerTests.CompanyPerSender>())
{
    [Fact]
    public async Task The_handler_named_in_the_application_configuration_turns_messages_into_records()
    {
        await Host.Get<SettingsStore>().SaveApplicationAsync(new ApplicationConfiguration { IncomingMessageWebhookTask = CompanyPerSender.HandlerName }, "test");
        await Mailbox.AppendAsync(Raw("From: Ada <ada@customer.test>\r\nSubject: Hi\r\nMessage-ID: <custom-1@customer.test>", "Hello"));

        var run = await ImportAsync();

        Assert.Equal(1, run.Imported);
        Assert.Equal("ada@customer.test", Assert.Single(await QueryAsync("company"))["email"]);
        Assert.Empty(await QueryAsync("conversation"));
        Assert.Equal(0, (await Mailbox.InboxCountsAsync()).Unseen);
    }

    [Fact]
    public async Task An_unknown_handler_name_stops_the_pass_with_what_to_set_and_leaves_mail_unseen()
    {
        await Host.Get<SettingsStore>().SaveApplicationAsync(new ApplicationConfiguration { IncomingMessageWebhookTask = "no.such.task" }, "test");
        await Mailbox.AppendAsync(Raw("From: ada@customer.test\r\nSubject: Hi", "Hello"));

        var run = await ImportAsync();

        Assert.Contains("no.such.task", run.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await Mailbox.InboxCountsAsync()).Unseen);
    }

    /// <summary>A stand-in for a customer's own handler: one company per sender, nothing else.</summary>
    public sealed class CompanyPerSender : IIncomingMessageHandler
    {
        public const string HandlerName = "custom.company_per_sender";

        public string Name => HandlerName;

        public async Task<HandlerResult> HandleAsync(ObjectSession session, IncomingContext context, CancellationToken cancellationToken)
        {
            await session.CreateAsync("company", new Dictionary<string, object?> { ["name"] = context.Message.From?.Name ?? "?", ["email"] = context.Message.From?.Address }, cancellationToken);
            return new HandlerResult(null, null, []);
        }
    }
}
