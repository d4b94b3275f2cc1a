using System.Buffers;
using System.Net;
using SmtpServer;
using SmtpServer.ComponentModel;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace EmailIntegration.Core.Mail.BuiltIn;

/// <summary>
/// The built-in SMTP receiver: accepts mail for any address and stores one copy per recipient in that
/// address's INBOX. Messages over the size limit are refused with a 552 before their data is kept.
/// </summary>
public sealed class SmtpReceiver(MailStore store, BuiltInMailOptions options)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var server = new SmtpServer.SmtpServer(
            new SmtpServerOptionsBuilder()
                .ServerName("emailintegration.local")
                .Endpoint(endpoint => endpoint
                    .Endpoint(new IPEndPoint(IPAddress.Parse(options.BindAddress), options.SmtpPort))
                    // Loopback by default; the account's own sign-in is not checked here, as for a relay on the same machine.
                    .AllowUnsecureAuthentication(true)
                    .AuthenticationRequired(false))
                .MaxMessageSize(options.MaxMessageSizeMb * 1024 * 1024)
                .Build(),
            Services());
        await server.StartAsync(cancellationToken);
    }

    private ServiceProvider Services()
    {
        var services = new ServiceProvider();
        services.Add(new Store(store));
        return services;
    }

    private sealed class Store(MailStore store) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            var raw = buffer.ToArray();
            foreach (var recipient in transaction.To)
            {
                await store.DeliverAsync($"{recipient.User}@{recipient.Host}", raw, cancellationToken);
            }

            return SmtpResponse.Ok;
        }
    }
}
