using EmailIntegration.Core.Conversations;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Tests.Core.Import;
using EmailIntegration.Tests.Infrastructure;
using MailKit;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>A shared mailbox with the guide's configuration and an App whose outbox sends through the stack.</summary>
public abstract class NotificationTestBase(AppHost host) : ImportTestBase(host)
{
    protected NotificationTestBase()
        : this(new AppHost { SendMail = true })
    {
    }

    protected static MimeMessage Mail(TestMailbox from, string fromName, TestMailbox to, string subject, string text, params TestMailbox[] cc)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, from.Address));
        message.To.Add(MailboxAddress.Parse(to.Address));
        foreach (var copy in cc)
        {
            message.Cc.Add(MailboxAddress.Parse(copy.Address));
        }

        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    /// <summary>A reply to a message, as a mail client writes it.</summary>
    protected static MimeMessage ReplyTo(MimeMessage original, TestMailbox from, string fromName, TestMailbox to, string text)
    {
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress(fromName, from.Address));
        reply.To.Add(MailboxAddress.Parse(to.Address));
        var subject = original.Subject ?? "";
        reply.Subject = subject.StartsWith("Re:", StringComparison.OrdinalIgnoreCase) ? subject : "Re: " + subject;
        reply.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test");
        reply.InReplyTo = original.MessageId;
        foreach (var reference in original.References)
        {
            reply.References.Add(reference);
        }

        reply.References.Add(original.MessageId!);
        reply.Body = new TextPart("plain") { Text = text };
        return reply;
    }

    /// <summary>
    /// An auto-responder at <paramref name="responder"/>: every unseen message there is answered to the
    /// shared mailbox (with <c>Auto-Submitted</c> when given), then marked seen. Returns how many it answered.
    /// </summary>
    protected async Task<int> AnswerEverythingAsync(TestMailbox responder, string name, string? autoSubmitted)
    {
        using var imap = new MailKit.Net.Imap.ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await imap.AuthenticateAsync(responder.Address, MailStack.Password);
        await imap.Inbox.OpenAsync(MailKit.FolderAccess.ReadWrite);
        var unseen = await imap.Inbox.SearchAsync(MailKit.Search.SearchQuery.NotSeen);
        foreach (var uid in unseen)
        {
            var answer = ReplyTo(await imap.Inbox.GetMessageAsync(uid), responder, name, Mailbox, "I am out of the office.");
            if (autoSubmitted is not null)
            {
                answer.Headers.Add("Auto-Submitted", autoSubmitted);
            }

            await Mailbox.DeliverAsync(answer);
            await imap.Inbox.AddFlagsAsync(uid, MessageFlags.Seen, true);
        }

        await imap.DisconnectAsync(true);
        return unseen.Count;
    }

    protected static async Task WaitForInboxAsync(TestMailbox mailbox, int count)
    {
        var messages = await mailbox.WaitForMessagesAsync(count);
        Assert.True(messages.Count >= count, $"{mailbox.Address} holds {messages.Count} messages, expected {count}.");
    }

    protected async Task<ConversationThread> SingleThreadAsync()
    {
        var conversation = Assert.Single(await QueryAsync("conversation"));
        return Assert.Single(await Host.Get<ConversationService>().ThreadsForAsync("conversation", Convert.ToInt64(conversation["_id"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    protected async Task<List<OutboxMessage>> OutboxAsync()
    {
        await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        return await db.Set<OutboxMessage>().Include(o => o.Recipients).OrderBy(o => o.CreatedUtc).ToListAsync();
    }

    /// <summary>Waits until no notification is pending and nothing is queued or retrying.</summary>
    protected async Task WaitForOutboxIdleAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < deadline)
        {
            await using var db = await Host.Get<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
            var busy = await db.Set<NotificationEvent>().AnyAsync(e => e.ProcessedUtc == null)
                || await db.Set<OutboxMessage>().AnyAsync(o => o.State == OutboxState.Queued || o.State == OutboxState.Sending);
            if (!busy)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The outbox did not finish in time.");
    }
}
