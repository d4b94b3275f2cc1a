using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Settings;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// N notifications: conversations of ten followers each get a new message, and the product turns
/// the events into emails (templates, merge values, message followers) and sends them through the
/// stack's submission service. The ceiling: a bare MailKit loop sending N messages of the same size
/// over one connection to the same server. Both rates and their ratio.
/// </summary>
internal static class FanoutScenario
{
    private const int FollowersPerConversation = 10;

    public static async Task RunAsync(int count)
    {
        var shared = MailBench.NewMailbox("bench-fanout");
        var dataPath = Path.Combine(Path.GetTempPath(), "emailintegration-bench", Guid.NewGuid().ToString("N"));
        try
        {
            var (provider, accountId) = await MailBench.ProductAsync(dataPath, shared);
            await using (provider)
            {
                var conversations = Math.Max(1, count / FollowersPerConversation);
                var recipients = Enumerable.Range(0, FollowersPerConversation).Select(i => MailBench.NewMailbox($"follower{i}")).ToList();
                await SeedAsync(provider, accountId, shared, recipients, conversations);

                var sample = await FirstHtmlAsync(provider);
                var ceiling = await BareMailKitAsync(shared, recipients, sample, conversations * FollowersPerConversation);

                var dispatcher = provider.GetRequiredService<NotificationDispatcher>();
                var sender = provider.GetRequiredService<OutboxSender>();
                var watch = Stopwatch.StartNew();
                var queued = await dispatcher.ExpandPendingAsync();
                var expanded = watch.Elapsed;
                var summary = await sender.SendDueAsync();
                watch.Stop();
                if (summary.Sent != queued || queued != conversations * FollowersPerConversation)
                {
                    throw new InvalidOperationException($"queued {queued}, sent {summary.Sent}, retrying {summary.Retrying}, failed {summary.Failed}");
                }

                var product = queued / watch.Elapsed.TotalSeconds;
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    scenario = "fanout",
                    notifications = queued,
                    html_bytes = sample.Length,
                    ceiling_messages_per_second = Math.Round(ceiling, 1),
                    product_messages_per_second = Math.Round(product, 1),
                    ratio = Math.Round(product / ceiling, 2),
                    expand_seconds = Math.Round(expanded.TotalSeconds, 2),
                    send_seconds = Math.Round((watch.Elapsed - expanded).TotalSeconds, 2),
                }));
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataPath, true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Conversations with a first message and ten subscribed followers, then a second message each: one pending event per conversation.</summary>
    private static async Task SeedAsync(ServiceProvider provider, Guid accountId, string shared, IReadOnlyList<string> followers, int conversations)
    {
        var c = await provider.GetRequiredService<SettingsStore>().GetRuntimeAsync();
        var store = provider.GetRequiredService<ObjectStore>();
        await using var session = await store.OpenAsync("bench");
        var events = new List<NotificationEvent>();
        var start = DateTime.UtcNow.AddHours(-1);
        for (var i = 0; i < conversations; i++)
        {
            var conversation = await session.CreateAsync(c.Conversation.Limetype, new Dictionary<string, object?>
            {
                [c.Conversation.PropertySubject] = $"Case {i}: the printer prints only blank pages",
                [c.Conversation.PropertyThreadId] = $"case{i}@customer.test",
                [c.Conversation.PropertyAddress] = shared,
            });
            long last = 0;
            for (var m = 0; m < 2; m++)
            {
                last = await session.CreateAsync(c.ConversationMessage.Limetype, new Dictionary<string, object?>
                {
                    [c.ConversationMessage.PropertyMessage] = $"<p>Message {m} of case {i}.</p><p>{string.Concat(Enumerable.Repeat("Some words a customer writes about the problem. ", 20))}</p>",
                    [c.ConversationMessage.PropertyEmailId] = $"case{i}-{m}@customer.test",
                    [c.ConversationMessage.PropertyUniqueId] = $"bench-{i}-{m}",
                    [c.ConversationMessage.PropertyDate] = start.AddSeconds(i * 2 + m),
                    [c.ConversationMessage.RelationConversation] = conversation,
                    ["fromaddress"] = "customer@customer.test",
                    ["fromname"] = "A Customer",
                    ["incoming"] = true,
                });
            }

            foreach (var address in followers)
            {
                await session.CreateAsync(c.Follower.Limetype, new Dictionary<string, object?>
                {
                    [c.Follower.PropertyAddress] = address,
                    [c.Follower.PropertyName] = address[..address.IndexOf('@')],
                    [c.Follower.PropertyParticipationLevel] = "cc",
                    [c.Follower.PropertyActive] = true,
                    [c.Follower.PropertySubscribed] = true,
                    [c.Follower.RelationConversation] = conversation,
                });
            }

            events.Add(new NotificationEvent
            {
                AccountId = accountId,
                Kind = NotificationEventKind.Incoming,
                ConversationId = conversation,
                MessageRecordId = last,
                AuthorAddress = "customer@customer.test",
                AuthorName = "A Customer",
                CreatedUtc = DateTime.UtcNow,
            });
        }

        await session.AddRecordsAsync(events);
        await session.CommitAsync();
    }

    /// <summary>The HTML of one real notification (rendered by the product), for the bare loop to send the same bytes.</summary>
    private static Task<string> FirstHtmlAsync(ServiceProvider provider) =>
        provider.GetRequiredService<TemplatePreview>().PreviewAsync(TemplateService.DefaultHtml(TemplateKind.Notification), TemplateKind.Notification, 1);

    private static async Task<double> BareMailKitAsync(string shared, List<string> recipients, string html, int count)
    {
        var pinned = X509CertificateLoader.LoadCertificateFromFile(MailBench.Certificate);
        using var smtp = new SmtpClient { ServerCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned.RawData) };
        await smtp.ConnectAsync(MailBench.Host, MailBench.SubmissionPort, SecureSocketOptions.StartTls);
        await smtp.AuthenticateAsync(shared, MailBench.Password);
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            using var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Bench", shared));
            message.To.Add(MailboxAddress.Parse(recipients[i % recipients.Count]));
            message.Subject = $"Re: Case {i / recipients.Count}";
            message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("bench.test");
            message.Body = new BodyBuilder { HtmlBody = html, TextBody = "text" }.ToMessageBody();
            await smtp.SendAsync(message);
        }

        watch.Stop();
        await smtp.DisconnectAsync(true);
        return count / watch.Elapsed.TotalSeconds;
    }
}
