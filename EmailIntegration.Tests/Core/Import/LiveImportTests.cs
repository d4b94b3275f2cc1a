using System.Diagnostics;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Mail;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>The App as it runs: inbox watchers on IDLE trigger the per-account import jobs.</summary>
public sealed class LiveImportTests : IDisposable
{
    private readonly AppHost host = new() { WatchMailboxes = true };

    [Fact]
    public async Task Mail_sent_to_a_watched_account_becomes_a_conversation_within_seconds_and_a_broken_account_stops_nobody()
    {
        var broken = await AccountAsync(TestMailbox.New("broken"), "wrong-password");
        var mailbox = TestMailbox.New();
        await AccountAsync(mailbox, MailStack.Password);
        host.StartServer();

        // Let the watcher connect and go idle, then mail arrives the way it does from outside.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var subject = $"Live {Guid.NewGuid():N}";
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@customer.test"));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello" };
        var sent = Stopwatch.StartNew();
        await mailbox.DeliverAsync(message);

        long count = 0;
        while (sent.Elapsed < TimeSpan.FromSeconds(20) && count == 0)
        {
            await Task.Delay(100);
            count = await host.Get<ObjectStore>().CountAsync("conversation",
                new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject }, QueryContext.Anonymous);
        }

        Assert.Equal(1, count);
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(10), $"imported after {sent.Elapsed}");
        Assert.Equal(0, (await mailbox.InboxCountsAsync()).Unseen);
        var state = await host.Get<AccountService>().GetAsync(broken);
        Assert.Equal(AccountState.Failing, state!.State);
        Assert.Contains("refused the sign-in", state.StateReason, StringComparison.Ordinal);
    }

    private async Task<Guid> AccountAsync(TestMailbox mailbox, string password)
    {
        var saved = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address, password));
        Assert.True(saved.Succeeded);
        return saved.Id!.Value;
    }

    public void Dispose() => host.Dispose();
}
