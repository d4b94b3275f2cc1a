using EmailIntegration.Core.Mail;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>The IMAP connection is cut while a pass imports: the pass stops with its reason, nothing is lost or doubled.</summary>
public sealed class ConnectionLossTests : ImportTestBase, IAsyncLifetime
{
    private const int Messages = 900;
    private readonly TcpForwarder imap = new(MailStack.Host, MailStack.ImapsPort);

    public ConnectionLossTests()
        : base(new AppHost { Settings = new Dictionary<string, string> { ["EmailIntegration:Import:BatchSize"] = "5" } })
    {
    }

    async Task IAsyncLifetime.InitializeAsync()
    {
        await base.InitializeAsync();
        // The account reads its mailbox through a port the test can take away.
        imap.Start();
        await SaveAccountAsync(input => input with { Imap = new MailServer(MailStack.Host, imap.Port, MailSecurity.SslOnConnect) });
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await imap.DisposeAsync();
        await DisposeAsync();
    }

    [Fact]
    public async Task A_connection_cut_mid_pass_stops_it_with_the_reason_and_the_next_pass_imports_each_message_once_and_flags_all_seen()
    {
        await AppendAsync();

        var pass = ImportAsync();
        // Cut once the first batch has landed, while the pass is still going.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while ((await QueryAsync("conversationmessage")).Count == 0)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), "the import did not start");
            await Task.Delay(5);
        }

        var atCut = (await QueryAsync("conversationmessage")).Count;
        imap.Stop();
        var cut = await pass.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(cut.Imported < Messages, $"the cut should land before the pass finished ({atCut} imported at the cut after {watch.Elapsed}, {cut.Imported} in the pass, error {cut.Error})");
        Assert.True(cut.Error is not null, $"the pass imported {cut.Imported} and failed {cut.Failed} without saying it stopped");

        imap.Start();
        var second = await ImportAsync();

        Assert.Null(second.Error);
        var imported = await QueryAsync("conversationmessage");
        Assert.Equal(Messages, imported.Count);
        Assert.Equal(Messages, imported.Select(m => m["uniqueid"]).Distinct().Count());
        Assert.Equal((Messages, 0), await Mailbox.InboxCountsAsync());

        // Every stored file belongs to a record: none were left behind by the stopped pass.
        var documents = await QueryAsync("document");
        Assert.Equal(Messages / 3, documents.Count);
        var stored = Directory.EnumerateFiles(Path.Combine(Host.DataPath, "files"), "*", SearchOption.AllDirectories).Count();
        Assert.Equal(documents.Count, stored);
    }

    private async Task AppendAsync()
    {
        using var client = new MailKit.Net.Imap.ImapClient();
        await client.ConnectAsync(MailStack.Host, MailStack.ImapPort, MailKit.Security.SecureSocketOptions.None);
        await client.AuthenticateAsync(Mailbox.Address, MailStack.Password);
        var messages = Enumerable.Range(0, Messages).Select(i =>
        {
            var builder = new BodyBuilder { TextBody = $"Message number {i}." };
            if (i % 3 == 0)
            {
                // Attachments are stored ahead of their message's turn, so a cut leaves some stored for messages never imported.
                builder.Attachments.Add($"scan-{i}.pdf", new byte[20_000], new ContentType("application", "pdf"));
            }

            var message = new MimeMessage { Subject = $"Cut test {i}", MessageId = $"cut-{i}@customer.test", Body = builder.ToMessageBody() };
            message.From.Add(new MailboxAddress($"Customer {i % 40}", $"customer{i % 40}@customer.test"));
            message.To.Add(MailboxAddress.Parse(Mailbox.Address));
            return (MailKit.IAppendRequest)new MailKit.AppendRequest(message, MailKit.MessageFlags.None);
        });
        foreach (var chunk in messages.Chunk(100))
        {
            await client.Inbox.AppendAsync(chunk);
        }

        await client.DisconnectAsync(true);
    }
}
