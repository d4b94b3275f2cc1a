using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

public sealed class RecoveryTests() : ImportTestBase(new FakeTimeProvider(DateTimeOffset.UtcNow))
{
    private FakeTimeProvider Clock => (FakeTimeProvider)Host.Clock!;

    [Fact]
    public async Task Recovery_takes_only_unseen_mail_older_than_the_grace_period()
    {
        await AppendAtAsync("Old unseen", Clock.GetUtcNow().AddMinutes(-10));
        await AppendAtAsync("Just arrived", Clock.GetUtcNow().AddSeconds(-30));

        var run = await Host.Get<ImportService>().ImportAsync(AccountId, ImportTrigger.Recovery);

        Assert.Equal(1, run.Imported);
        Assert.Equal(["Old unseen"], (await QueryAsync("conversation")).Select(c => (string)c["subject"]!));
        Assert.Equal(1, (await Mailbox.InboxCountsAsync()).Unseen);

        // Two minutes on (vacuum_cleaner_grace_period), the young one is old enough too.
        Clock.Advance(TimeSpan.FromMinutes(2));
        var later = await Host.Get<ImportService>().ImportAsync(AccountId, ImportTrigger.Recovery);
        Assert.Equal(1, later.Imported);
    }

    [Fact]
    public async Task Failed_messages_are_retried_within_the_maximum_age_and_imported_once_the_cause_is_gone()
    {
        var settings = Host.Get<SettingsStore>();
        await settings.SaveApplicationAsync(new ApplicationConfiguration { AttachmentMaxSizeMb = 1 }, "test");
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("big@customer.test"));
        message.To.Add(MailboxAddress.Parse(Mailbox.Address));
        message.Subject = "Big one";
        var builder = new BodyBuilder { TextBody = "Attached." };
        builder.Attachments.Add("big.bin", new byte[1_500_000]);
        message.Body = builder.ToMessageBody();
        await Mailbox.AppendAsync(message);
        await ImportAsync();
        var imports = Host.Get<ImportService>();
        var failure = Assert.Single(await imports.FailuresToRetryAsync());

        // Still too big: it stays failed with the reason.
        Assert.Equal(ImportOutcome.Failed, await imports.RetryFailedAsync(failure));

        // The limit raised: the retry imports it, from the stored raw message.
        await settings.SaveApplicationAsync(new ApplicationConfiguration { AttachmentMaxSizeMb = 5 }, "test");
        Assert.Equal(ImportOutcome.Imported, await imports.RetryFailedAsync(failure));
        Assert.Equal("imported", (await Host.Get<ObjectStore>().GetAsync("importerror", failure))!["status"]);
        Assert.Equal("big.bin", Assert.Single(await QueryAsync("document"))["comment"]);
        Assert.Empty(await imports.FailuresToRetryAsync());
    }

    [Fact]
    public async Task Failures_older_than_max_import_age_are_not_retried()
    {
        var store = Host.Get<ObjectStore>();
        await store.CreateAsync("importerror", new Dictionary<string, object?>
        {
            ["account"] = Mailbox.Address,
            ["reason"] = "test",
            ["status"] = "failed",
            ["receiveddate"] = Clock.GetUtcNow().AddHours(-2),
        }, null);
        var imports = Host.Get<ImportService>();
        Assert.Single(await imports.FailuresToRetryAsync());

        Clock.Advance(TimeSpan.FromDays(1));

        Assert.Empty(await imports.FailuresToRetryAsync());
    }

    private async Task AppendAtAsync(string subject, DateTimeOffset internalDate)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@customer.test"));
        message.To.Add(MailboxAddress.Parse(Mailbox.Address));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = subject };
        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(Mailbox.Address, MailStack.Password);
        await imap.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None, internalDate));
        await imap.DisconnectAsync(true);
    }
}
