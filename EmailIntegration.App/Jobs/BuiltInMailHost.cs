using EmailIntegration.Core.Demo;
using EmailIntegration.Core.Mail.BuiltIn;
using Microsoft.Extensions.Options;

namespace EmailIntegration.App.Jobs;

/// <summary>
/// Runs the built-in mailbox's SMTP receiver and IMAP service when turned on (demo mode or
/// <c>EmailIntegration:BuiltInMail:Enabled</c>), and sets a demo up on its first start.
/// </summary>
internal sealed class BuiltInMailHost(
    MailStore store, BuiltInMailbox mailbox, IOptions<BuiltInMailOptions> options, DemoSetup demo, CustomerSimulator simulator, IConfiguration configuration,
    ILogger<BuiltInMailHost> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Off unless configured; the first-run page may still turn it on for a demo.
            await mailbox.WaitUntilOnAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var imap = new ImapService(store, options.Value, mailbox.SignIn, logger);
        var smtp = new SmtpReceiver(store, options.Value);
        var running = new[] { imap.RunAsync(stoppingToken), smtp.RunAsync(stoppingToken) };
        simulator.Attach();
        logger.LogInformation("Built-in mailbox: SMTP on {Address}:{Smtp}, IMAP on {Address}:{Imap}",
            options.Value.BindAddress, options.Value.SmtpPort, options.Value.BindAddress, options.Value.ImapPort);
        if (configuration.GetValue<bool>(DemoSetup.ConfigurationKey))
        {
            var credentials = await demo.RunAsync(stoppingToken);
            if (credentials is not null)
            {
                // Said once, to the person who started the demo; never logged.
                Console.WriteLine($"""

                    Demo ready. Sign in at the address above with
                      administrator  {credentials.AdminEmail}  {credentials.AdminPassword}
                      support        {credentials.SupportEmail}  {credentials.SupportPassword}
                    Mail to {DemoSetup.DeskAddress} through SMTP {options.Value.Host}:{options.Value.SmtpPort} becomes a ticket.

                    """);
            }
        }

        await Task.WhenAll(running);
    }
}
