using EmailIntegration.Core.Notifications;

namespace EmailIntegration.Tests.Core.Notifications;

/// <summary>Every merge code of the guide's table renders, and text from mail stays text.</summary>
public sealed class MergeCodeTests
{
    private static readonly Participant Account = new("support@desk.test", "Support");
    private static readonly Participant Anna = new("anna@customer.test", "Anna Andersson");
    private static readonly Participant Bo = new("bo@customer.test", "Bo Berg");
    private static readonly Participant Hostile = new("eve@customer.test", "<script>alert(1)</script> & \"Eve\"");

    private static IReadOnlyDictionary<string, string> Values(
        TemplateKind kind = TemplateKind.Notification, Participant? author = null, IReadOnlyList<Participant>? recipients = null,
        string subject = "Printer", NotificationEventKind kindOfEvent = NotificationEventKind.Incoming, IReadOnlyList<Participant>? followers = null) =>
        MergeValues.Build(new MergeInput(kind, kindOfEvent, subject, Account, author ?? Anna,
            followers ?? [Anna, Bo], recipients ?? [Bo], recipients ?? [Bo],
            [new ThreadEntry("Anna Andersson", "anna@customer.test", new DateTime(2026, 11, 29, 9, 0, 0, DateTimeKind.Utc), "<p>First <img src=\"https://tracker.test/p.gif\"><script>x()</script></p>"),
             new ThreadEntry("Bo Berg", "bo@customer.test", new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc), "<p>Second</p>")]));

    [Fact]
    public void Every_code_of_the_guide_has_a_value()
    {
        var values = Values();
        Assert.Equal(13, MergeCodes.All.Count);
        foreach (var (code, _) in MergeCodes.All)
        {
            Assert.True(values.ContainsKey(code), code);
            Assert.DoesNotContain("{{", MergeCodes.Render("{{ " + code + " }}", values), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Conversation_update_info_says_who_wrote_in_which_conversation()
    {
        Assert.Equal("Anna Andersson (anna@customer.test) wrote a new message in the conversation \u201cPrinter\u201d.", Values()["conversation_update_info"]);
        Assert.Equal("We have received your message \u201cPrinter\u201d. Support will answer as soon as possible.",
            Values(TemplateKind.AutoReply, recipients: [Anna])["conversation_update_info"]);
        Assert.StartsWith("Anna Andersson (anna@customer.test) started the conversation", Values(TemplateKind.AutoReply, recipients: [Bo])["conversation_update_info"], StringComparison.Ordinal);
        Assert.Equal("Agent Smith of Support replied in the conversation \u201cPrinter\u201d.",
            Values(author: new Participant("support@desk.test", "Agent Smith"), kindOfEvent: NotificationEventKind.AgentReply)["conversation_update_info"]);
    }

    [Fact]
    public void Other_followers_info_names_the_others()
    {
        var values = MergeValues.Build(new MergeInput(TemplateKind.Notification, NotificationEventKind.Incoming, "Printer", Account, Anna, [Anna, Bo, Hostile], [Bo], [Bo, Hostile], []));
        Assert.Equal("This message was also sent to: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Eve&quot; (eve@customer.test).", values["other_followers_info"]);
        Assert.Equal("You are the only recipient of this message.", Values()["other_followers_info"]);
        Assert.Equal("This message was sent to: Anna Andersson (anna@customer.test), Bo Berg (bo@customer.test).", Values(recipients: [Anna, Bo])["other_followers_info"]);
    }

    [Fact]
    public void Reply_info_names_the_shared_address()
    {
        Assert.Contains("support@desk.test", Values()["reply_info"], StringComparison.Ordinal);
        Assert.Contains("no need to reply to all", Values()["reply_info"], StringComparison.Ordinal);
    }

    [Fact]
    public void Conversation_messages_are_newest_first_and_sanitized()
    {
        var html = Values()["conversation_messages"];
        Assert.True(html.IndexOf("Second", StringComparison.Ordinal) < html.IndexOf("First", StringComparison.Ordinal));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.test", html, StringComparison.Ordinal);
        Assert.Contains("Anna Andersson &lt;anna@customer.test&gt; \u00b7 2026-11-29 09:00 UTC", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Follower_lists_in_every_form()
    {
        var values = Values(followers: [Anna, Bo, Hostile]);
        Assert.Equal("Anna Andersson (anna@customer.test), Bo Berg (bo@customer.test), &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Eve&quot; (eve@customer.test)", values["followers"]);
        Assert.Equal("anna@customer.test, bo@customer.test, eve@customer.test", values["follower_addresses"]);
        Assert.Equal("<a href=\"mailto:anna@customer.test\">anna@customer.test</a>, <a href=\"mailto:bo@customer.test\">bo@customer.test</a>, <a href=\"mailto:eve@customer.test\">eve@customer.test</a>", values["follower_addresses_mailto"]);
        Assert.Equal("Anna Andersson, Bo Berg, &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Eve&quot;", values["follower_names"]);
        Assert.Equal("3", values["num_followers"]);
    }

    [Fact]
    public void Recipient_and_sender_codes_are_this_emails_people()
    {
        var values = Values(author: Hostile, recipients: [Bo]);
        Assert.Equal("bo@customer.test", values["recipient_address"]);
        Assert.Equal("Bo Berg", values["recipient_name"]);
        Assert.Equal("eve@customer.test", values["sender_address"]);
        Assert.Equal("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Eve&quot;", values["sender_name"]);
        // Without a name, the address stands in.
        Assert.Equal("x@customer.test", Values(recipients: [new Participant("x@customer.test", null)])["recipient_name"]);
    }

    [Fact]
    public void A_hostile_subject_stays_text()
    {
        var values = Values(subject: "<img src=x onerror=alert(1)>");
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", values["conversation_update_info"], StringComparison.Ordinal);
        Assert.DoesNotContain("<img", values["conversation_update_info"], StringComparison.Ordinal);
    }

    [Fact]
    public void Codes_render_with_or_without_spaces_and_unknown_ones_are_reported()
    {
        var values = Values();
        Assert.Equal("3? 3", MergeCodes.Render("{{num_followers}}? {{  num_followers  }}", Values(followers: [Anna, Bo, Hostile])));
        Assert.Equal("Bo Berg / {{ recipent_name }}", MergeCodes.Render("{{recipient_name}} / {{ recipent_name }}", values));
        Assert.Equal(["recipent_name"], MergeCodes.Unknown("{{recipient_name}} / {{ recipent_name }}"));
    }

    [Fact]
    public void The_default_templates_use_only_known_codes()
    {
        foreach (var kind in Enum.GetValues<TemplateKind>())
        {
            var html = TemplateService.DefaultHtml(kind);
            Assert.Empty(MergeCodes.Unknown(html));
            Assert.Contains("{{ conversation_messages }}", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Markdown_from_an_agent_becomes_safe_html()
    {
        var html = ReplyService.RenderMarkdown("Hello **there**\n\n- one\n- two\n\n<script>alert(1)</script> [link](https://example.test)");
        Assert.Contains("<strong>there</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<li>one</li>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.test\"", html, StringComparison.Ordinal);
    }
}
