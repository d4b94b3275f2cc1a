using EmailIntegration.Core.Mail;

namespace EmailIntegration.Tests.Core.Conversations;

public sealed class MessageHtmlTests
{
    [Fact]
    public void Scripts_handlers_forms_and_page_covering_styles_are_removed()
    {
        var safe = MessageHtml.Sanitize("""
            <p onclick="steal()">Hi<script>alert(1)</script></p>
            <img src="x" onerror="alert(2)">
            <a href="javascript:alert(3)">bad</a>
            <form action="https://evil.test"><input name="password"></form>
            <div style="position: fixed; top: 0; color: red">overlay</div>
            <iframe src="https://evil.test"></iframe>
            """);

        Assert.DoesNotContain("script", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<form", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<input", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<iframe", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("position", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("color: rgba(255, 0, 0, 1)", safe.Html, StringComparison.Ordinal);
        Assert.Contains("overlay", safe.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_images_are_blocked_and_counted_unless_asked_for_while_embedded_ones_stay()
    {
        const string html = """<img src="https://tracker.test/pixel.gif"><img src="//cdn.test/a.png"><img src="/files/embeddedfile/7">""";

        var blocked = MessageHtml.Sanitize(html);
        var allowed = MessageHtml.Sanitize(html, allowRemoteImages: true);

        Assert.Equal(2, blocked.BlockedImages);
        Assert.DoesNotContain("tracker.test", blocked.Html, StringComparison.Ordinal);
        Assert.Contains("/files/embeddedfile/7", blocked.Html, StringComparison.Ordinal);
        Assert.Contains("https://tracker.test/pixel.gif", allowed.Html, StringComparison.Ordinal);
        Assert.Equal(0, allowed.BlockedImages);
    }

    [Fact]
    public void Trackers_in_background_attributes_and_CSS_are_blocked_too_while_links_stay()
    {
        var safe = MessageHtml.Sanitize("""
            <table><tr><td background="https://t.test/a.gif">x</td></tr></table>
            <div style="background-image: url(https://t.test/b.gif)">y</div>
            <a href="https://example.test/page">a link</a>
            """);

        Assert.DoesNotContain("t.test", safe.Html, StringComparison.Ordinal);
        Assert.True(safe.BlockedImages >= 1, "the CSS tracker counts as a blocked image");
        Assert.Contains("https://example.test/page", safe.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_open_in_a_new_tab_without_a_referrer()
    {
        var safe = MessageHtml.Sanitize("""<a href="https://example.test/x">x</a>""");

        Assert.Contains("target=\"_blank\"", safe.Html, StringComparison.Ordinal);
        Assert.Contains("noreferrer", safe.Html, StringComparison.Ordinal);
    }
}
