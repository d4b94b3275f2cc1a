using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>Mail imported before the account had a mapping: its conversations get their tickets afterwards, once.</summary>
public sealed class MissingParentsTests : IDisposable
{
    private readonly AppHost host = new();
    private readonly TestMailbox mailbox = TestMailbox.New();

    [Fact]
    public async Task Conversations_imported_without_a_mapping_get_the_tickets_the_mapping_now_says_once_even_when_asked_twice_at_once()
    {
        var account = (await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address))).Id!.Value;
        var store = host.Get<ObjectStore>();
        var person = await store.CreateAsync("person", new Dictionary<string, object?> { ["name"] = "Nils Nilsson", ["email"] = "nils@customer.test", ["mobilephone"] = "+46 70 123 45 67" }, "test");

        // Before any mapping: two threads (one with a reply and an attachment) become conversations without a ticket.
        var first = Mail("nils@customer.test", "Scanner jams", "The scanner jams on page two.");
        first.Cc.Add(MailboxAddress.Parse("boss@customer.test"));
        var withFile = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "The scanner jams on page two." },
            new MimePart("text", "plain") { Content = new MimeContent(new MemoryStream("log"u8.ToArray())), FileName = "scanner.log" },
        };
        first.Body = withFile;
        var reply = Mail("nils@customer.test", "Re: Scanner jams", "Still jamming.");
        reply.InReplyTo = first.MessageId;
        await mailbox.AppendAsync(first);
        await mailbox.AppendAsync(reply);
        await mailbox.AppendAsync(Mail("eva@other.test", "Invoice question", "Why two invoices?"));
        Assert.Equal(3, (await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);
        var missing = host.Get<MissingParents>();
        Assert.Equal(0, (await missing.FindAsync()).Count);

        // The one-click mapping; mail after it gets its ticket from the import itself and is not counted.
        Assert.Empty(await host.Get<SettingsStore>().AddStandardMappingAsync(account, "admin"));
        await mailbox.AppendAsync(Mail("new@customer.test", "After the mapping", "Hello"));
        Assert.Equal(1, (await host.Get<ImportService>().ImportAsync(account, ImportTrigger.Manual)).Imported);
        var found = await missing.FindAsync();
        Assert.Equal(2, found.Count);
        Assert.Equal(["Invoice question", "Scanner jams"], found.Newest.Select(c => c.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(["helpdesk"], found.Limetypes);

        var runs = await Task.WhenAll(missing.CreateAsync("admin"), missing.CreateAsync("admin"));

        Assert.Equal(2, runs.Sum(r => r.Total));
        Assert.All(runs, r => Assert.Empty(r.Problems));
        Assert.Equal(0, (await missing.CreateAsync("admin")).Total);
        Assert.Equal(0, (await missing.FindAsync()).Count);
        var tickets = await store.QueryAsync(new LimeQuery("helpdesk") { Order = [new OrderBy("_id")] }, QueryContext.Anonymous);
        Assert.Equal(["After the mapping", "Scanner jams", "Invoice question"], tickets.Select(t => (string?)t["subject"]));

        // Filled from the first message as the import fills it: the sender's person and their phone, source, description.
        var scanner = tickets[1];
        Assert.Equal(("nils@customer.test", "email", person, "+46 70 123 45 67"), ((string?)scanner["email"], (string?)scanner["source"], (long?)scanner["person"], (string?)scanner["phone"]));
        Assert.Equal("The scanner jams on page two.", (string?)scanner["description"]);
        var conversations = await store.QueryAsync(new LimeQuery("conversation") { Filter = Eq("subject", "Scanner jams") }, QueryContext.Anonymous);
        Assert.Equal((long)scanner["_id"]!, (long?)Assert.Single(conversations)["helpdesk"]);
        var document = Assert.Single(await store.QueryAsync(new LimeQuery("document"), QueryContext.Anonymous));
        Assert.Equal((long)scanner["_id"]!, (long?)document["helpdesk"]);
    }

    private static System.Text.Json.Nodes.JsonObject Eq(string key, object value) =>
        new() { ["key"] = key, ["op"] = "=", ["exp"] = System.Text.Json.Nodes.JsonValue.Create(value) };

    private MimeMessage Mail(string from, string subject, string text)
    {
        var message = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("customer.test") };
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(mailbox.Address));
        message.Body = new TextPart("plain") { Text = text };
        return message;
    }

    public void Dispose() => host.Dispose();
}
