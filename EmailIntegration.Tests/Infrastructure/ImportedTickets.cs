using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Query;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using MimeKit;

namespace EmailIntegration.Tests.Infrastructure;

/// <summary>Tickets made the way a user's are: mail into a real mailbox, imported with the guide's runtime configuration.</summary>
public static class ImportedTickets
{
    /// <summary>A password account on a new mailbox of the stack, with the guide's runtime configuration for it.</summary>
    public static async Task<(Guid AccountId, TestMailbox Mailbox)> ConnectAsync(AppHost host)
    {
        var mailbox = TestMailbox.New();
        var account = await host.Get<AccountService>().SaveAsync(null, MailStack.PasswordAccount(mailbox.Address));
        Assert.Empty(await host.Get<SettingsStore>().SaveRuntimeAsync(MailStack.SeedRuntimeConfiguration(account.Id!.Value), "test"));
        return (account.Id.Value, mailbox);
    }

    /// <summary>One plain-text mail per subject, imported; returns the tickets' ids in the order of the subjects.</summary>
    public static async Task<IReadOnlyList<long>> ImportAsync(AppHost host, Guid accountId, TestMailbox mailbox, params string[] subjects)
    {
        foreach (var subject in subjects)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Customer", $"{subject.Split(' ')[0].ToLowerInvariant()}@customer.test"));
            message.To.Add(MailboxAddress.Parse(mailbox.Address));
            message.Subject = subject;
            message.Body = new TextPart("plain") { Text = $"About: {subject}" };
            await mailbox.AppendAsync(message);
        }

        Assert.Equal(subjects.Length, (await host.Get<ImportService>().ImportAsync(accountId, ImportTrigger.Manual)).Imported);
        var ids = new List<long>();
        foreach (var subject in subjects)
        {
            var rows = await host.Get<ObjectStore>().QueryAsync(new LimeQuery("helpdesk")
            {
                Filter = new System.Text.Json.Nodes.JsonObject { ["key"] = "subject", ["op"] = "=", ["exp"] = subject },
            }, QueryContext.Anonymous);
            ids.Add((long)Assert.Single(rows)["_id"]!);
        }

        return ids;
    }
}
