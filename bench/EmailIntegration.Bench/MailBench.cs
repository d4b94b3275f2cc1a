using System.Globalization;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Settings;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>The loopback mail stack (tools/mailstack/start.sh; source its env file) and a product set up against it.</summary>
internal static class MailBench
{
    public static string Host => Env("MAILSTACK_HOST");
    public static string Password => Env("MAILSTACK_PASSWORD");
    public static int ImapPort => int.Parse(Env("MAILSTACK_IMAP_PORT"), CultureInfo.InvariantCulture);
    public static int ImapsPort => int.Parse(Env("MAILSTACK_IMAPS_PORT"), CultureInfo.InvariantCulture);
    public static int SubmissionPort => int.Parse(Env("MAILSTACK_SUBMISSION_PORT"), CultureInfo.InvariantCulture);
    public static int RelayPort => int.Parse(Env("MAILSTACK_RELAY_PORT"), CultureInfo.InvariantCulture);
    public static string Certificate => Env("MAILSTACK_TLS_CERT");

    public static string NewMailbox(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}@{Env("MAILSTACK_DOMAIN")}";

    /// <summary>
    /// A product (Core services) on a fresh data folder, with a password account for the mailbox and the guide's runtime
    /// configuration; <paramref name="replace"/> swaps a service for a comparison.
    /// </summary>
    public static async Task<(ServiceProvider Provider, Guid AccountId)> ProductAsync(string dataPath, string mailbox, Action<IServiceCollection>? replace = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["EmailIntegration:DataPath"] = dataPath,
            ["EmailIntegration:Tls:TrustedCertificates:0"] = Certificate,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddPersistence(configuration);
        services.AddCrm();
        services.AddMailAccounts(configuration);
        services.AddImport(configuration);
        services.AddSingleton<IImportScheduler, NoScheduler>();
        replace?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<DatabaseInitializer>().MigrateAsync();
        var id = await AddAccountAsync(provider, mailbox);
        var errors = await provider.GetRequiredService<SettingsStore>().SaveRuntimeAsync(RuntimeConfigurationJson(id), "bench");
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", errors));
        }

        return (provider, id);
    }

    /// <summary>A password account for a stack mailbox (IMAPS, submission with STARTTLS), in the guide's runtime configuration too.</summary>
    public static async Task<Guid> AddAccountAsync(ServiceProvider provider, string mailbox, bool inRuntimeConfiguration = true)
    {
        var saved = await provider.GetRequiredService<AccountService>().SaveAsync(null, new MailAccountInput(
            "Bench", mailbox, AccountAuthentication.Password, null, null,
            new MailServer(Host, ImapsPort, MailSecurity.SslOnConnect), new MailServer(Host, SubmissionPort, MailSecurity.StartTls), null, Password));
        var id = saved.Id ?? throw new InvalidOperationException(string.Join("; ", saved.Errors.Values));
        var settings = provider.GetRequiredService<SettingsStore>();
        if (inRuntimeConfiguration && (await settings.GetRuntimeAsync()).ConversationParents.Count > 0)
        {
            // Already configured for another account: this one joins the same parents.
            var json = await settings.GetRuntimeJsonAsync();
            var errors = await settings.SaveRuntimeAsync(json.Replace("\"accounts\": [\"", $"\"accounts\": [\"{id}\", \"", StringComparison.Ordinal), "bench");
            if (errors.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", errors));
            }
        }

        return id;
    }

    /// <summary>The guide's example shape: tickets with subject, description, person found by email, company and phone copied.</summary>
    public static string RuntimeConfigurationJson(Guid accountId) => RuntimeConfigurationJson([accountId]);

    /// <summary>The same, with several accounts importing into the same parents.</summary>
    public static string RuntimeConfigurationJson(IEnumerable<Guid> accountIds) => $$"""
        {
          "personalizedEmails": true,
          "conversationParents": [{
            "limetype": "helpdesk", "accounts": [{{string.Join(", ", accountIds.Select(id => $"\"{id}\""))}}], "relationConversation": "conversation", "relationDocument": "document",
            "properties": [
              {"property": "subject", "messageProperty": "subject"},
              {"property": "description", "messageProperty": "plainText"},
              {"property": "person", "messageProperty": "fromAddress", "searchPath": "person.email"},
              {"property": "company", "searchPath": "person.company"},
              {"property": "email", "messageProperty": "fromAddress"},
              {"property": "source", "default": "email"},
              {"property": "phone", "searchPath": "person.mobilephone"}
            ]
          }]
        }
        """;

    /// <summary>
    /// Messages as a helpdesk gets them: a third start a thread, the rest reply into one (In-Reply-To
    /// and References); half are multipart/alternative with HTML, one in ten has a 40 KB attachment.
    /// </summary>
    public static IEnumerable<MimeMessage> Corpus(string mailbox, int count)
    {
        var random = new Random(7);
        var paragraph = string.Join(' ', Enumerable.Repeat("The order arrived damaged and the replacement has not shipped yet.", 12));
        for (var i = 0; i < count; i++)
        {
            var message = new MimeMessage();
            var sender = random.Next(200);
            message.From.Add(new MailboxAddress($"Customer {sender}", $"customer{sender}@customer.test"));
            message.To.Add(MailboxAddress.Parse(mailbox));
            if (random.Next(4) == 0)
            {
                message.Cc.Add(new MailboxAddress("Colleague", $"colleague{random.Next(50)}@customer.test"));
            }

            message.MessageId = $"bench-{i}@customer.test";
            message.Date = DateTimeOffset.UtcNow.AddMinutes(-count + i);
            var root = i < 3 ? -1 : random.Next(3) == 0 ? -1 : random.Next(i);
            message.Subject = root < 0 ? $"Order {i}: damaged delivery" : $"Re: Order {root}: damaged delivery";
            if (root >= 0)
            {
                message.InReplyTo = $"bench-{root}@customer.test";
                message.References.Add($"bench-{root}@customer.test");
            }

            var builder = new BodyBuilder { TextBody = $"Hello,\n\n{paragraph}\n\nRegards,\nCustomer {sender}" };
            if (i % 2 == 0)
            {
                builder.HtmlBody = $"<html><body><p>Hello,</p><p>{paragraph}</p><p>Regards,<br>Customer {sender}</p></body></html>";
            }

            if (i % 10 == 0)
            {
                builder.Attachments.Add($"photo-{i}.jpg", Encoding.ASCII.GetBytes(new string('x', 40_000)), new ContentType("image", "jpeg"));
            }

            message.Body = builder.ToMessageBody();
            yield return message;
        }
    }

    public static async Task AppendAsync(string mailbox, IEnumerable<MimeMessage> messages)
    {
        using var imap = await OpenAsync(mailbox);
        foreach (var batch in messages.Chunk(200))
        {
            await imap.Inbox.AppendAsync(batch.Select(m => (IAppendRequest)new AppendRequest(m, MessageFlags.None)).ToList());
        }

        await imap.DisconnectAsync(true);
    }

    public static async Task<ImapClient> OpenAsync(string mailbox)
    {
        var imap = new ImapClient();
        await imap.ConnectAsync(Host, ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(mailbox, Password);
        return imap;
    }

    /// <summary>IMAPS with the stack's certificate pinned: the connection the product's bench account uses.</summary>
    public static async Task<ImapClient> OpenTlsAsync(string mailbox)
    {
        var pinned = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Certificate);
        var imap = new ImapClient
        {
            ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData),
        };
        await imap.ConnectAsync(Host, ImapsPort, SecureSocketOptions.SslOnConnect);
        await imap.AuthenticateAsync(mailbox, Password);
        return imap;
    }

    /// <summary>
    /// Waits until the runtime has compiled no method for a second (at most a minute): a warm-up
    /// leaves a queue of hot methods for the background tier-1 compiler, and on two cores that
    /// queue would otherwise run during the timed part and take a core from whichever side is measured.
    /// </summary>
    public static async Task SettleJitAsync()
    {
        var give = System.Diagnostics.Stopwatch.StartNew();
        var last = System.Runtime.JitInfo.GetCompiledMethodCount();
        while (give.Elapsed < TimeSpan.FromMinutes(1))
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            if (now == last)
            {
                break;
            }

            last = now;
        }

        Console.Error.WriteLine($"compiler settled after {give.Elapsed.TotalSeconds:F1} s");
    }

    private static string Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException($"{name} is not set: start tools/mailstack/start.sh and source the env file it writes.");

    /// <summary>The benchmark calls the import directly; there is no scheduler.</summary>
    private sealed class NoScheduler : IImportScheduler
    {
        public Task<int> RegisterAllAsync(CancellationToken cancellationToken) => Task.FromResult(0);

        public Task TriggerImportAsync(Guid accountId, ImportTrigger trigger, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
