using System.Diagnostics;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Security;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Mail;

/// <summary>The import's connection to a real Dovecot, as the inbox watcher uses it between passes.</summary>
public sealed class MailboxSessionTests : IDisposable
{
    private readonly string spool = Path.Combine(Path.GetTempPath(), "emailintegration-tests", "spool-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Mail_reported_to_a_pass_rather_than_to_the_idle_after_it_ends_the_next_wait_at_once()
    {
        var mailbox = TestMailbox.New();
        await mailbox.AppendAsync(Message("First"));
        await using var session = await OpenAsync(mailbox);

        // A pass: it lists the unseen mail; a message arrives meanwhile; the pass marks the first seen,
        // and the server reports the new one in that command's response.
        var unseen = await session.ListUnseenAsync(CancellationToken.None);
        Assert.Single(unseen);
        await mailbox.DeliverAsync(Message("Second"));
        session.MarkSeenInBackground(unseen, CancellationToken.None);
        await session.FlushAsync();

        // The wait that follows knows the mail came: it does not idle until the next one.
        var waited = Stopwatch.StartNew();
        Assert.True(await session.WaitForMailAsync(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60), CancellationToken.None));
        Assert.True(waited.Elapsed < TimeSpan.FromSeconds(30), $"waited {waited.Elapsed}");
        Assert.Single(await session.ListUnseenAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_wait_with_no_mail_reported_idles_until_it_runs_out_and_says_no_mail_came()
    {
        var mailbox = TestMailbox.New();
        await using var session = await OpenAsync(mailbox);
        Assert.Empty(await session.ListUnseenAsync(CancellationToken.None));

        Assert.False(await session.WaitForMailAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), CancellationToken.None));
    }

    private Task<MailboxSession> OpenAsync(TestMailbox mailbox)
    {
        var tls = new TlsOptions();
        tls.TrustedCertificates.Add(MailStack.TlsCertificate);
        return MailboxSession.OpenAsync(new MailServer(MailStack.Host, MailStack.ImapsPort, MailSecurity.SslOnConnect),
            new MailCredential(mailbox.Address, MailStack.Password, false), tls, spool, CancellationToken.None);
    }

    private static MimeMessage Message(string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("someone@customer.test"));
        message.To.Add(MailboxAddress.Parse("shared@example.test"));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello" };
        return message;
    }

    public void Dispose()
    {
        if (Directory.Exists(spool))
        {
            Directory.Delete(spool, true);
        }
    }
}
