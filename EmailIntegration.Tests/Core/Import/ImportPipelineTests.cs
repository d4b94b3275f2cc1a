using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Crm.Schema;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Settings;
using EmailIntegration.Tests.Infrastructure;

namespace EmailIntegration.Tests.Core.Import;

public sealed class ImportPipelineTests : ImportTestBase
{
    [Fact]
    public async Task The_guides_example_configuration_fills_the_ticket_from_the_first_message()
    {
        long companyId, personId;
        var store = Host.Get<ObjectStore>();
        companyId = await store.CreateAsync("company", new Dictionary<string, object?> { ["name"] = "Acme" }, null);
        personId = await store.CreateAsync("person", new Dictionary<string, object?>
        {
            ["name"] = "Ada Customer",
            ["email"] = "ada@customer.test",
            ["mobilephone"] = "+46 70 123 45 67",
            ["company"] = companyId,
        }, null);
        await Mailbox.AppendAsync(Raw($"""
            From: Ada Customer <ADA@customer.test>
            To: Support <{Mailbox.Address}>
            Cc: Bob <bob@customer.test>
            Subject: Printer on fire
            Message-ID: <first-1@customer.test>
            Date: Sat, 28 Nov 2026 10:00:00 +0000
            Content-Type: text/plain; charset=utf-8
            """, "The printer is on fire.\r\nPlease help."));

        var run = await ImportAsync();

        Assert.Null(run.Error);
        Assert.Equal(1, run.Imported);
        var ticket = Assert.Single(await QueryAsync("helpdesk"));
        Assert.Equal("Printer on fire", ticket["subject"]);
        Assert.Contains("The printer is on fire.", (string)ticket["description"]!, StringComparison.Ordinal);
        Assert.Equal(personId, ticket["person"]);
        Assert.Equal(companyId, ticket["company"]);
        Assert.Equal("ADA@customer.test", ticket["email"]);
        Assert.Equal("email", ticket["source"]);
        Assert.Equal("+46 70 123 45 67", ticket["phone"]);

        var conversation = Assert.Single(await QueryAsync("conversation"));
        Assert.Equal(ticket[CrmSchema.IdKey], conversation["helpdesk"]);
        Assert.Equal("<first-1@customer.test>".Trim('<', '>'), conversation["threadid"]);
        Assert.Equal(Mailbox.Address, conversation["email"]);
        Assert.NotNull(conversation["earliestunread"]);
        var message = Assert.Single(await QueryAsync("conversationmessage"));
        Assert.Contains("Please help.", (string)message["message"]!, StringComparison.Ordinal);
        Assert.Equal(conversation[CrmSchema.IdKey], message["conversation"]);

        var followers = await QueryAsync("follower");
        Assert.Equal(2, followers.Count);
        var ada = followers.Single(f => (string)f["email"]! == "ADA@customer.test");
        Assert.Equal("from", ada["participationlevel"]);
        Assert.Equal(personId, ada["person"]);
        Assert.Equal(true, ada["subscribed"]);
        Assert.Equal("cc", followers.Single(f => (string)f["email"]! == "bob@customer.test")["participationlevel"]);
        Assert.Equal(2, (await QueryAsync("messagefollower")).Count);
        Assert.Equal((1, 0), await Mailbox.InboxCountsAsync());
    }

    [Fact]
    public async Task A_message_imported_but_not_marked_seen_is_a_dedupe_hit_the_next_time_never_a_duplicate()
    {
        await Mailbox.AppendAsync(Raw("""
            From: someone@customer.test
            Subject: Once only
            Message-ID: <once@customer.test>
            """, "Body"));
        await ImportAsync();

        // The crash between commit and \Seen: the same message is unseen again.
        await Mailbox.AppendAsync(Raw("""
            From: someone@customer.test
            Subject: Once only
            Message-ID: <once@customer.test>
            """, "Body"));
        var second = await ImportAsync();

        Assert.Equal(0, second.Imported);
        Assert.Equal(1, second.Duplicates);
        Assert.Single(await QueryAsync("conversationmessage"));
        Assert.Equal((2, 0), await Mailbox.InboxCountsAsync());
    }

    [Fact]
    public async Task One_Message_ID_from_two_senders_and_messages_without_one_are_separate_messages()
    {
        await Mailbox.AppendAsync(Raw("From: a@customer.test\r\nSubject: Same id A\r\nMessage-ID: <shared-id@x.test>", "A"));
        await Mailbox.AppendAsync(Raw("From: b@other.test\r\nSubject: Same id B\r\nMessage-ID: <shared-id@x.test>", "B"));
        await Mailbox.AppendAsync(Raw("From: c@customer.test\r\nSubject: No id one", "C1"));
        await Mailbox.AppendAsync(Raw("From: c@customer.test\r\nSubject: No id two", "C2"));

        var run = await ImportAsync();

        Assert.Equal(4, run.Imported);
        Assert.Equal(4, (await QueryAsync("conversationmessage")).Select(m => m["uniqueid"]).Distinct().Count());
    }

    [Theory]
    [InlineData("in-reply-to")]
    [InlineData("references")]
    [InlineData("outlook")]
    [InlineData("gmail")]
    public async Task A_thread_of_replies_ends_as_one_conversation_with_every_participant_following(string style)
    {
        await Mailbox.AppendAsync(Raw($"""
            From: Ada <ada@customer.test>
            To: {Mailbox.Address}
            Subject: Order 1234
            Message-ID: <m1@customer.test>
            """, "Where is my order?"));
        await ImportAsync();

        var threading = style switch
        {
            "in-reply-to" => "In-Reply-To: <m1@customer.test>",
            "references" => "References: <m1@customer.test>",
            "outlook" => "Thread-Topic: Order 1234\r\nThread-Index: AQHZ1234abcd==\r\nIn-Reply-To: <m1@customer.test>\r\nReferences: <m1@customer.test>",
            _ => "In-Reply-To: <m1@customer.test>\r\nReferences: <older@elsewhere.test> <m1@customer.test>",
        };
        await Mailbox.AppendAsync(Raw($"""
            From: Bob <bob@customer.test>
            To: {Mailbox.Address}
            Cc: Carol <carol@customer.test>
            Subject: RE: Order 1234
            Message-ID: <m2@customer.test>
            {threading}
            """, "Adding Carol."));
        await Mailbox.AppendAsync(Raw($"""
            From: Carol <carol@customer.test>
            To: {Mailbox.Address}
            Subject: Re: Order 1234
            Message-ID: <m3@customer.test>
            {threading.Replace("m1@", "m2@", StringComparison.Ordinal)}
            """, "Thanks."));
        var run = await ImportAsync();

        Assert.Equal(2, run.Imported);
        var conversation = Assert.Single(await QueryAsync("conversation"));
        Assert.Single(await QueryAsync("helpdesk"));
        Assert.Equal(3, (await QueryAsync("conversationmessage")).Count);
        Assert.Equal("m3@customer.test", conversation["replytoid"]);
        var followers = (await QueryAsync("follower")).Select(f => (string)f["email"]!).Order().ToList();
        Assert.Equal(["ada@customer.test", "bob@customer.test", "carol@customer.test"], followers);
    }

    [Fact]
    public async Task A_reply_in_another_accounts_thread_starts_its_own_conversation_here()
    {
        await Mailbox.AppendAsync(Raw("From: ada@customer.test\r\nSubject: Hello\r\nMessage-ID: <x1@customer.test>", "Hi"));
        await ImportAsync();
        await using (var session = await Host.Get<ObjectStore>().OpenAsync(null))
        {
            var conversation = (await session.FindAsync("conversation", "threadid", "x1@customer.test")).Single();
            await session.UpdateAsync("conversation", conversation.Id, new Dictionary<string, object?> { ["email"] = "other-account@example.test" });
            await session.CommitAsync();
        }

        await Mailbox.AppendAsync(Raw("From: ada@customer.test\r\nSubject: Re: Hello\r\nMessage-ID: <x2@customer.test>\r\nIn-Reply-To: <x1@customer.test>", "Again"));
        await ImportAsync();

        Assert.Equal(2, (await QueryAsync("conversation")).Count);
    }

    [Fact]
    public async Task Automatic_mail_is_imported_marked_automatic_and_its_sender_is_not_subscribed()
    {
        await Mailbox.AppendAsync(Raw("From: robot@customer.test\r\nSubject: Out of office\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <ooo@customer.test>", "I am away."));

        await ImportAsync();

        Assert.Equal(true, Assert.Single(await QueryAsync("conversationmessage"))["automatic"]);
        Assert.Equal(false, Assert.Single(await QueryAsync("follower"))["subscribed"]);
    }

    [Fact]
    public async Task A_message_over_the_attachment_limit_goes_to_the_failure_folder_with_its_reason_and_the_next_one_is_imported()
    {
        var settings = Host.Get<SettingsStore>();
        await settings.SaveApplicationAsync(new ApplicationConfiguration { AttachmentMaxSizeMb = 1 }, "test");
        var big = Convert.ToBase64String(new byte[1_600_000], Base64FormattingOptions.InsertLineBreaks);
        await Mailbox.AppendAsync(Raw("""
            From: big@customer.test
            Subject: Too big
            Message-ID: <big@customer.test>
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b1"
            """, $"--b1\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"big.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{big}\r\n--b1--\r\n"));
        await Mailbox.AppendAsync(Raw("From: small@customer.test\r\nSubject: Small\r\nMessage-ID: <small@customer.test>", "Fine"));

        var run = await ImportAsync();

        Assert.Equal(1, run.Imported);
        Assert.Equal(1, run.Failed);
        Assert.Equal(["Too big"], await Mailbox.SubjectsInAsync("Import failed"));
        var error = Assert.Single(await QueryAsync("importerror"));
        Assert.Contains("attachment_max_size_mb", (string)error["reason"]!, StringComparison.Ordinal);
        Assert.NotNull(error["rawmessage"]);
        Assert.Equal((1, 0), await Mailbox.InboxCountsAsync());
        Assert.Empty(await QueryAsync("document"));
    }

    [Fact]
    public async Task Two_copies_of_one_message_in_one_pass_are_imported_once_and_both_marked_seen()
    {
        await Mailbox.AppendAsync(Raw("From: twice@customer.test\r\nSubject: Twice\r\nMessage-ID: <twice@customer.test>", "Body"));
        await Mailbox.AppendAsync(Raw("From: twice@customer.test\r\nSubject: Twice\r\nMessage-ID: <twice@customer.test>", "Body"));

        var run = await ImportAsync();

        Assert.Equal(1, run.Imported);
        Assert.Equal(1, run.Duplicates);
        Assert.Single(await QueryAsync("conversationmessage"));
        Assert.Equal((2, 0), await Mailbox.InboxCountsAsync());
    }

    [Fact]
    public async Task The_import_log_lists_each_message_of_a_batch_with_its_records()
    {
        await Mailbox.AppendAsync(Raw("From: one@customer.test\r\nSubject: One\r\nMessage-ID: <log-1@customer.test>", "1"));
        await Mailbox.AppendAsync(Raw("From: two@customer.test\r\nSubject: Two\r\nMessage-ID: <log-2@customer.test>", "2"));

        await ImportAsync();

        var entries = await Host.Get<ImportLogService>().EntriesAsync(AccountId);
        Assert.Equal(["One", "Two"], entries.Select(e => e.Subject!).Order());
        Assert.All(entries, e =>
        {
            Assert.Equal(ImportOutcome.Imported, e.Outcome);
            Assert.NotNull(e.ConversationId);
            Assert.NotNull(e.MessageRecordId);
            Assert.NotNull(e.MailboxId);
        });
        Assert.Equal(2, (await Host.Get<ImportLogService>().EntriesAsync(AccountId, ImportOutcome.Imported)).Count);
    }

    [Fact]
    public async Task A_participant_is_linked_to_the_person_whose_email_differs_only_in_case()
    {
        var personId = await Host.Get<ObjectStore>().CreateAsync("person", new Dictionary<string, object?>
        {
            ["name"] = "Ada Lovelace",
            ["email"] = "Ada@Customer.test",
        }, "test");
        await Mailbox.AppendAsync(Raw($"From: Ada <ada@customer.test>\r\nTo: {Mailbox.Address}\r\nSubject: Hello\r\nMessage-ID: <case@customer.test>", "Hi"));

        await ImportAsync();

        Assert.Equal(personId, Assert.Single(await QueryAsync("follower"))["person"]);
    }
}
