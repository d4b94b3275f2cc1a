using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>An OAuth2 account sends its outbox over SMTP with XOAUTH2, for both providers.</summary>
public sealed class OAuthSendingTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly OAuthScenario scenario;

    public OAuthSendingTests() => scenario = new OAuthScenario(host);

    [Theory]
    [InlineData(OAuthProvider.Microsoft)]
    [InlineData(OAuthProvider.Google)]
    public async Task The_outbox_of_an_oauth_account_is_sent_with_its_access_token(OAuthProvider type)
    {
        var (_, account, mailbox) = await scenario.ConnectedAccountAsync(type);
        var recipient = TestMailbox.New("customer");
        await using (var db = await host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            db.Add(new OutboxMessage
            {
                AccountId = account,
                Kind = OutboxKind.Notification,
                MessageId = NotificationDispatcher.NewMessageId(mailbox),
                FromAddress = mailbox,
                FromName = "Shared desk",
                Subject = $"Sent with {type}",
                Html = "<p>Hello</p>",
                State = OutboxState.Queued,
                CreatedUtc = DateTime.UtcNow,
                NextAttemptUtc = DateTime.UtcNow,
                Recipients = [new OutboxRecipient { Address = recipient.Address }],
            });
            await db.SaveChangesAsync();
        }

        var summary = await host.Get<OutboxSender>().SendDueAsync();

        Assert.Equal(new SendSummary(1, 0, 0), summary);
        var received = Assert.Single(await recipient.WaitForMessagesAsync(1));
        Assert.Equal($"Sent with {type}", received.Subject);
        Assert.Equal(mailbox, received.From.Mailboxes.Single().Address);
    }

    public void Dispose()
    {
        scenario.Dispose();
        host.Dispose();
    }
}
