using EmailIntegration.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace EmailIntegration.Tests.Mail;

/// <summary>
/// The loopback mail stack the rest of the suite relies on: Dovecot for IMAP and SMTP submission,
/// the relay into the mailboxes, and XOAUTH2 with a token from the local identity provider.
/// </summary>
public sealed class MailStackTests
{
    [Fact]
    public async Task A_message_sent_with_password_authentication_arrives_in_the_recipients_inbox()
    {
        var sender = MailStack.NewMailbox("sender");
        var recipient = MailStack.NewMailbox("recipient");
        var subject = $"Stack check {Guid.NewGuid():N}";

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync(MailStack.Host, MailStack.SubmissionPort, SecureSocketOptions.None);
            await smtp.AuthenticateAsync(sender, MailStack.Password);
            await smtp.SendAsync(NewMessage(sender, recipient, subject));
            await smtp.DisconnectAsync(true);
        }

        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(recipient, MailStack.Password);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var found = await imap.Inbox.SearchAsync(SearchQuery.SubjectContains(subject).And(SearchQuery.NotSeen));
        Assert.Single(found);
        var message = await imap.Inbox.GetMessageAsync(found[0]);
        Assert.Equal(sender, message.From.Mailboxes.Single().Address);
        Assert.Contains("Hello from the test", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_at_once()
    {
        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<AuthenticationException>(() => imap.AuthenticateAsync(MailStack.NewMailbox(), "wrong-password"));
        // Dovecot's default penalty (2, 6, 10 s over MailKit's three mechanism attempts) is switched off in the stack.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "failed logins must not be delayed in the test stack");
    }

    [Fact]
    public async Task A_token_from_the_identity_provider_opens_the_shared_mailbox_over_IMAP_and_SMTP_with_XOAUTH2()
    {
        var shared = MailStack.NewMailbox("shared");
        var outside = MailStack.NewMailbox("customer");
        var clientId = $"client-{Guid.NewGuid():N}";
        using var idp = new IdentityProviderClient();
        await idp.RegisterClientAsync(clientId, "client-secret-1");
        var token = await idp.AuthorizeAsync(clientId, "client-secret-1", shared,
            "https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access");
        var subject = $"Sent with XOAUTH2 {Guid.NewGuid():N}";

        using (var smtp = new SmtpClient())
        {
            await smtp.ConnectAsync(MailStack.Host, MailStack.SubmissionPort, SecureSocketOptions.None);
            await smtp.AuthenticateAsync(new SaslMechanismOAuth2(shared, token.AccessToken));
            await smtp.SendAsync(NewMessage(shared, outside, subject));
            await smtp.DisconnectAsync(true);
        }

        using (var imap = new ImapClient())
        {
            await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
            await imap.AuthenticateAsync(new SaslMechanismOAuth2(shared, token.AccessToken));
            Assert.True(imap.IsAuthenticated);
            await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
            await imap.DisconnectAsync(true);
        }

        using var reader = new ImapClient();
        await reader.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await reader.AuthenticateAsync(outside, MailStack.Password);
        await reader.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Single(await reader.Inbox.SearchAsync(SearchQuery.SubjectContains(subject)));
    }

    [Fact]
    public async Task A_token_for_another_mailbox_is_refused()
    {
        var clientId = $"client-{Guid.NewGuid():N}";
        using var idp = new IdentityProviderClient();
        await idp.RegisterClientAsync(clientId, "client-secret-1");
        var token = await idp.AuthorizeAsync(clientId, "client-secret-1", MailStack.NewMailbox("someone"), "https://mail.google.com/");

        using var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            imap.AuthenticateAsync(new SaslMechanismOAuth2(MailStack.NewMailbox("other"), token.AccessToken)));
    }

    private static MimeMessage NewMessage(string from, string to, string subject)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = "Hello from the test." };
        return message;
    }
}
