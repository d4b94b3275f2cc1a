using MailKit;
using MailKit.Net.Imap;
using MailKit.Net.Smtp;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>A mailbox of the loopback stack, seen from outside the product: put mail in, look at its folders.</summary>
public sealed class TestMailbox(string address)
{
    public string Address { get; } = address;

    public static TestMailbox New(string prefix = "shared") => new(MailStack.NewMailbox(prefix));

    /// <summary>Puts a raw message into INBOX as unseen (IMAP APPEND), exactly as given.</summary>
    public async Task AppendAsync(string raw)
    {
        using var imap = await OpenAsync();
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal)));
        await imap.Inbox.AppendAsync(new AppendRequest(await MimeMessage.LoadAsync(stream), MessageFlags.None));
        await imap.DisconnectAsync(true);
    }

    /// <summary>
    /// Puts bytes into INBOX as unseen exactly as given, even when they are no valid message: spoken as
    /// raw IMAP (LOGIN, APPEND with a literal), since MailKit appends only what MimeKit could parse.
    /// </summary>
    public async Task AppendBytesAsync(byte[] raw)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(MailStack.Host, MailStack.ImapPort);
        await using var stream = tcp.GetStream();
        var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        async Task<string> UntilAsync(string tag)
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.StartsWith(tag + " ", StringComparison.Ordinal))
                {
                    return line;
                }
            }

            throw new IOException("The IMAP server closed the connection.");
        }

        await UntilAsync("*");
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"a1 LOGIN \"{Address}\" \"{MailStack.Password}\"\r\n"));
        Assert.StartsWith("a1 OK", await UntilAsync("a1"), StringComparison.Ordinal);
        // LITERAL+ (Dovecot has it): the bytes follow at once, without waiting for a continuation.
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"a2 APPEND INBOX () {{{raw.Length}+}}\r\n"));
        await stream.WriteAsync(raw);
        await stream.WriteAsync("\r\n"u8.ToArray());
        var appended = await UntilAsync("a2");
        Assert.True(appended.StartsWith("a2 OK", StringComparison.Ordinal), appended);
        await stream.WriteAsync("a3 LOGOUT\r\n"u8.ToArray());
    }

    public async Task AppendAsync(MimeMessage message)
    {
        using var imap = await OpenAsync();
        await imap.Inbox.AppendAsync(new AppendRequest(message, MessageFlags.None));
        await imap.DisconnectAsync(true);
    }

    /// <summary>Sends a message to this mailbox through the stack's SMTP relay, as the outside world does.</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(MailStack.Host, MailStack.RelayPort, SecureSocketOptions.None);
        await smtp.SendAsync(message, MailboxAddress.Parse(message.From.Mailboxes.First().Address), [MailboxAddress.Parse(Address)]);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Sends a message from this mailbox: signed in to the stack's submission service, as a mail client does.</summary>
    public async Task SendAsync(MimeMessage message)
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(MailStack.Host, MailStack.SubmissionPort, SecureSocketOptions.None);
        await smtp.AuthenticateAsync(Address, MailStack.Password);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>Every message in INBOX, oldest first, parsed (headers included).</summary>
    public async Task<IReadOnlyList<MimeMessage>> MessagesAsync()
    {
        using var imap = await OpenAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var messages = new List<MimeMessage>();
        for (var i = 0; i < imap.Inbox.Count; i++)
        {
            messages.Add(await imap.Inbox.GetMessageAsync(i));
        }

        await imap.DisconnectAsync(true);
        return messages;
    }

    /// <summary>Waits until INBOX holds at least <paramref name="count"/> messages and returns them all.</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var messages = await MessagesAsync();
            if (messages.Count >= count || DateTime.UtcNow > deadline)
            {
                return messages;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>How many messages INBOX holds, and how many of them are unseen.</summary>
    public async Task<(int Total, int Unseen)> InboxCountsAsync()
    {
        using var imap = await OpenAsync();
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var unseen = await imap.Inbox.SearchAsync(SearchQuery.NotSeen);
        return (imap.Inbox.Count, unseen.Count);
    }

    /// <summary>The subjects in a top-level folder (empty when the folder does not exist).</summary>
    public async Task<IReadOnlyList<string>> SubjectsInAsync(string folderName)
    {
        using var imap = await OpenAsync();
        var root = imap.GetFolder(imap.PersonalNamespaces[0]);
        var folder = (await root.GetSubfoldersAsync(false)).FirstOrDefault(f => f.Name == folderName);
        if (folder is null)
        {
            return [];
        }

        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summaries = await folder.FetchAsync(0, -1, MessageSummaryItems.Envelope);
        return summaries.Select(s => s.Envelope?.Subject ?? "").ToList();
    }

    private async Task<ImapClient> OpenAsync()
    {
        var imap = new ImapClient();
        await imap.ConnectAsync(MailStack.Host, MailStack.ImapPort, SecureSocketOptions.None);
        await imap.AuthenticateAsync(Address, MailStack.Password);
        return imap;
    }
}
