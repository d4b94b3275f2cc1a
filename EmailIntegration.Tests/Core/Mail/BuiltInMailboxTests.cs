using System.Net.Sockets;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Mail.BuiltIn;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Mail;

/// <summary>The built-in mailbox with MailKit as the client and the product's import as the reader: no other mail server.</summary>
public sealed class BuiltInMailboxTests : IDisposable
{
    private readonly AppHost host = new() { Settings = BuiltInMail.Settings(maxMessageSizeMb: 1) };

    [Fact]
    public async Task Mail_sent_to_the_receiver_is_imported_once_through_imap_and_left_seen()
    {
        var account = await ConnectAsync("desk@builtin.example");
        for (var i = 1; i <= 3; i++)
        {
            await BuiltInMail.SendAsync(host, Mail("desk@builtin.example", $"Question {i}", $"Body {i}"));
        }

        var first = await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual);
        Assert.Null(first.Error);
        Assert.Equal(3, first.Imported);
        Assert.Equal(0, (await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);
        var tickets = await host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk") { Order = [new OrderBy("subject")] }, QueryContext.Anonymous);
        Assert.Equal(["Question 1", "Question 2", "Question 3"], tickets.Select(t => t["subject"]));
        var inbox = await host.Get<MailStore>().FolderAsync("desk@builtin.example", MailStore.Inbox);
        Assert.All(inbox!.Messages, m => Assert.True(m.Seen));
        // The mail is kept in this install's data folder, nowhere else.
        Assert.True(File.Exists(Path.Combine(host.DataPath, "mailstore", "mailstore.db")));

        // Test connection sees the same service a mail client does.
        var checks = await host.Get<AccountChecks>().TestAsync(account);
        Assert.True(checks.Passed, string.Join("; ", checks.Steps.Select(s => $"{s.Name}: {s.Outcome} {s.Detail}")));
        Assert.Equal(AccountState.Connected, checks.State);
    }

    [Fact]
    public async Task A_malformed_message_in_the_built_in_inbox_is_imported_or_set_aside_and_never_read_twice()
    {
        var account = await ConnectAsync("broken@builtin.example");
        var raw = "From: someone@example.test\r\nSubject: =?utf-8?B?not-base64!?=\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello\r\n"u8.ToArray();
        await host.Get<MailStore>().DeliverAsync("broken@builtin.example", raw);
        await BuiltInMail.SendAsync(host, Mail("broken@builtin.example", "Fine", "Fine"));

        var run = await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual);
        Assert.Null(run.Error);
        var folders = await host.Get<MailStore>().FoldersAsync("broken@builtin.example");
        var inbox = await host.Get<MailStore>().FolderAsync("broken@builtin.example", MailStore.Inbox);
        Assert.True(run.Failed + run.Imported == 2, $"imported {run.Imported}, failed {run.Failed}");
        Assert.All(inbox!.Messages, m => Assert.True(m.Seen));
        if (run.Failed > 0)
        {
            Assert.Contains(MailAccount.DefaultFailureFolder, folders);
        }
    }

    [Fact]
    public async Task The_receiver_refuses_an_oversized_message_with_a_5xx()
    {
        host.StartServer();
        var message = Mail("big@builtin.example", "Too big", new string('x', 2 * 1024 * 1024));
        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() => BuiltInMail.SendAsync(host, message));
        Assert.True((int)refused.StatusCode >= 500, $"answered {(int)refused.StatusCode}");
        Assert.Empty((await host.Get<MailStore>().FolderAsync("big@builtin.example", MailStore.Inbox))!.Messages);
    }

    [Fact]
    public async Task Nothing_listens_when_the_built_in_mailbox_is_off()
    {
        using var plain = new AppHost();
        plain.StartServer();
        var settings = BuiltInMail.Settings();
        using var client = new TcpClient();
        // The ports a demo would use are free in an App that has it off.
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", int.Parse(settings[$"{BuiltInMailOptions.Section}:SmtpPort"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.False(plain.Get<Microsoft.Extensions.Options.IOptions<BuiltInMailOptions>>().Value.Enabled);
    }

    private async Task<Guid> ConnectAsync(string address)
    {
        host.StartServer();
        var mailbox = host.Get<BuiltInMailbox>();
        var saved = await host.Get<AccountService>().SaveAsync(null, new MailAccountInput("Desk", address, AccountAuthentication.Password, null, null,
            mailbox.Imap, mailbox.Smtp, address, mailbox.Password));
        Assert.True(saved.Succeeded, string.Join("; ", saved.Errors.Values));
        Assert.Empty(await host.Get<SettingsStore>().AddStandardMappingAsync(saved.Id!.Value, "test"));
        return saved.Id.Value;
    }

    private static MimeMessage Mail(string to, string subject, string text)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Customer", "customer@example.test"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public void Dispose() => host.Dispose();
}
