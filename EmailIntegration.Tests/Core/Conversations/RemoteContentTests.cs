using EmailIntegration.Core.Mail;

namespace EmailIntegration.Tests.Core.Conversations;

/// <summary>
/// The remote-content block, form by form: every way a browser would still read a URL as another
/// host, in every position that fetches, is removed and counted; the App's own paths, cid: and
/// raster data:image stay.
/// </summary>
public sealed class RemoteContentTests
{
    /// <summary>URL forms that browsers resolve to the host evil.test (HTML-encoded where the parser decodes them).</summary>
    public static readonly string[] RemoteForms =
    [
        "https://evil.test/p.gif",
        "http://evil.test/p.gif",
        "HTTPS://evil.test/p.gif",
        "hTtP://evil.test/p.gif",
        "//evil.test/p.gif",
        @"\\evil.test/p.gif",
        @"/\evil.test/p.gif",
        @"\/evil.test/p.gif",
        " //evil.test/p.gif",
        "  https://evil.test/p.gif  ",
        "&#x20;//evil.test/p.gif",
        "&#9;//evil.test/p.gif",
        "&#1;//evil.test/p.gif",
        "&#x1f;https://evil.test/p.gif",
        "/&#9;/evil.test/p.gif",
        "/&Tab;/evil.test/p.gif",
        "/&#10;/evil.test/p.gif",
        "/&NewLine;/evil.test/p.gif",
        "/&#13;/evil.test/p.gif",
        "ht&#9;tps://evil.test/p.gif",
        "ht&#10;tp://evil.test/p.gif",
        "&#x2f;&#x2f;evil.test/p.gif",
        "&#X2F;&#47;evil.test/p.gif",
        "&sol;&sol;evil.test/p.gif",
        "&bsol;&bsol;evil.test/p.gif",
        "h&#x74;tps://evil.test/p.gif",
        "https&#58;//evil.test/p.gif",
        "https&colon;//evil.test/p.gif",
        @"https:/\evil.test/p.gif",
        @"https:\\evil.test/p.gif",
        @"https:\/evil.test/p.gif",
        "https:/evil.test/p.gif",
        "https:evil.test/p.gif",
        "http:evil.test/p.gif",
        "http:///evil.test/p.gif",
        "https://user:pw@evil.test/p.gif",
        "https://evil.test:8443/p.gif",
    ];

    /// <summary>Positions that fetch a single URL; {0} is the URL as written in the HTML.</summary>
    public static readonly string[] Positions =
    [
        """<img src="{0}" alt="x">""",
        """<table background="{0}"><tr><td>x</td></tr></table>""",
        """<div style="background-image: url('{0}')">x</div>""",
        """<div style="background-image: url(&quot;{0}&quot;)">x</div>""",
        """<div style="background: image-set('{0}' 1x)">x</div>""",
        """<div style="background-image: -webkit-image-set(&quot;{0}&quot; 1x, '/files/embeddedfile/1' 2x)">x</div>""",
        """<a href="{0}" style="background-image: url('{0}')">x</a>""",
    ];

    public static TheoryData<string, string> FormsInPositions()
    {
        var data = new TheoryData<string, string>();
        foreach (var position in Positions)
        {
            // Note: a raw newline ends a CSS string (the declaration is then dropped, nothing fetched); in CSS
            // a newline inside a URL is written as an escape, which the CSS cases below cover.
            var inCss = position.Contains("('{0}", StringComparison.Ordinal) || position.Contains("&quot;{0}", StringComparison.Ordinal);
            foreach (var form in RemoteForms.Where(f => !inCss || !(f.Contains("&#10;", StringComparison.Ordinal) || f.Contains("&#13;", StringComparison.Ordinal) || f.Contains("&NewLine;", StringComparison.Ordinal))))
            {
                data.Add(position, form);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FormsInPositions))]
    public void A_remote_URL_in_any_form_and_fetching_position_is_removed_and_counted(string position, string form)
    {
        // Note: in CSS a backslash escapes the next character, so a URL's backslash is written doubled there.
        var inCss = position.Contains("('{0}", StringComparison.Ordinal) || position.Contains("&quot;{0}", StringComparison.Ordinal);
        var html = position.Replace("{0}", inCss ? form.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("&bsol;", "&bsol;&bsol;", StringComparison.Ordinal) : form, StringComparison.Ordinal);

        var safe = MessageHtml.Sanitize(html);

        var fetching = position.StartsWith("<a ", StringComparison.Ordinal) ? safe.Html.Replace("href=", "", StringComparison.Ordinal) : safe.Html;
        if (position.StartsWith("<a ", StringComparison.Ordinal))
        {
            // The link itself stays as it was; only its background went.
            Assert.DoesNotContain("style", safe.Html, StringComparison.OrdinalIgnoreCase);
        }
        else
        {
            Assert.DoesNotContain("evil", fetching, StringComparison.OrdinalIgnoreCase);
        }

        Assert.True(safe.BlockedImages >= 1, $"counted as blocked: {html} -> {safe.Html}");
        Assert.Equal(0, MessageHtml.Sanitize(safe.Html).BlockedImages);
    }

    [Theory]
    [InlineData("""<img srcset="https://evil.test/a.gif 1x">""")]
    [InlineData("""<img srcset="/files/embeddedfile/1 1x, //evil.test/a.gif 2x">""")]
    [InlineData("""<img srcset="/files/embeddedfile/1 1x,\\evil.test/a.gif 2x">""")]
    [InlineData("""<div style="background-image: url('/\a /evil.test/a.gif')">x</div>""")]
    [InlineData("""<div style="background-image: url('ht\9 tps://evil.test/a.gif')">x</div>""")]
    [InlineData("""<div style="background-image: image-set('h\D ttps://evil.test/a.gif' 1x)">x</div>""")]
    [InlineData("""<img src="/files/embeddedfile/1" srcset="/files/embeddedfile/1 480w, https://evil.test/b.gif 800w" sizes="(max-width: 600px) 480px, 800px">""")]
    [InlineData("""<img lowsrc="https://evil.test/a.gif">""")]
    [InlineData("""<img dynsrc="https://evil.test/a.avi">""")]
    [InlineData("""<div style="background: url(https://evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background: url( //evil.test/a.gif )">x</div>""")]
    [InlineData("""<div style="background-image: u\72l(https://evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background-image: URL(https://evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background-image: url(\68ttps://evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background-image: url(https\3a //evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background-image: url(\2f\2f evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="background-image: url('\5c\5c evil.test/a.gif')">x</div>""")]
    [InlineData("<div style=\"background-image: url('https:\\\n//evil.test/a.gif')\">x</div>")]
    [InlineData("""<div style="background-image: image-set(url(https://evil.test/a.gif) 1x)">x</div>""")]
    [InlineData("""<div style="background-image: image-set(&quot;https://evil.test/a.gif&quot; type('image/png'))">x</div>""")]
    [InlineData("""<div style="background-image: image('https://evil.test/a.gif')">x</div>""")]
    [InlineData("""<div style="background-image: cross-fade(url(https://evil.test/a.gif), url(/files/embeddedfile/1), 50%)">x</div>""")]
    [InlineData("""<div style="background-image: -webkit-cross-fade('https://evil.test/a.gif', url(/x), 50%)">x</div>""")]
    [InlineData("""<div style="list-style-image: url(https://evil.test/a.gif)">x</div>""")]
    [InlineData("""<ul style="list-style: square url(https://evil.test/a.gif)"><li>x</li></ul>""")]
    [InlineData("""<div style="border-image: url(https://evil.test/a.gif) 30 round">x</div>""")]
    [InlineData("""<div style="border-image-source: url(//evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="content: url(https://evil.test/a.gif)">x</div>""")]
    [InlineData("""<div style="cursor: url(https://evil.test/a.cur), auto">x</div>""")]
    [InlineData("""<div style="mask-image: url(https://evil.test/a.svg)">x</div>""")]
    [InlineData("""<div style="mask: url(https://evil.test/a.svg)">x</div>""")]
    [InlineData("""<div style="-webkit-mask-image: url(https://evil.test/a.svg)">x</div>""")]
    [InlineData("""<div style="filter: url(https://evil.test/f.svg#x)">x</div>""")]
    [InlineData("""<div style="clip-path: url(https://evil.test/c.svg#x)">x</div>""")]
    [InlineData("""<div style="shape-outside: url(https://evil.test/a.png)">x</div>""")]
    [InlineData("""<div style="--x: 'https://evil.test/a.gif'; background-image: image-set(var(--x) 1x)">x</div>""")]
    [InlineData("""<div style="background-image: image-set(var(--missing, 'https://evil.test/a.gif') 1x)">x</div>""")]
    [InlineData("""<div style="color: red; background: #fff url(https://evil.test/a.gif) no-repeat">x</div>""")]
    [InlineData("""<style>@import 'https://evil.test/a.css';</style><p>x</p>""")]
    [InlineData("""<style>@import url(//evil.test/a.css);</style><p>x</p>""")]
    [InlineData("""<style>@IMPORT "https://evil.test/a.css" screen;</style><p>x</p>""")]
    [InlineData("""<style>p { background: url(https://evil.test/a.gif) }</style><p>x</p>""")]
    [InlineData("""<style>@font-face { font-family: x; src: url(https://evil.test/a.woff) }</style><p>x</p>""")]
    [InlineData("""<link rel="stylesheet" href="https://evil.test/a.css"><p>x</p>""")]
    [InlineData("""<link rel="preload" as="image" imagesrcset="https://evil.test/a.gif 1x"><p>x</p>""")]
    [InlineData("""<video poster="https://evil.test/a.gif"></video>""")]
    [InlineData("""<video><source src="https://evil.test/a.mp4"></video>""")]
    [InlineData("""<audio src="https://evil.test/a.mp3"></audio>""")]
    [InlineData("""<picture><source srcset="https://evil.test/a.webp"><img src="/files/embeddedfile/1"></picture>""")]
    [InlineData("""<input type="image" src="https://evil.test/a.gif">""")]
    [InlineData("""<object data="https://evil.test/a.swf"></object>""")]
    [InlineData("""<embed src="https://evil.test/a.swf">""")]
    [InlineData("""<iframe src="https://evil.test/"></iframe>""")]
    [InlineData("""<svg><image href="https://evil.test/a.gif"/></svg>""")]
    [InlineData("""<svg><image xlink:href="//evil.test/a.gif"/></svg>""")]
    [InlineData("""<svg><use href="https://evil.test/a.svg#x"/></svg>""")]
    [InlineData("""<svg><rect fill="url(https://evil.test/a.svg#g)"/></svg>""")]
    [InlineData("""<svg><feImage href="https://evil.test/a.gif"/></svg>""")]
    [InlineData("""<math><mi href="https://evil.test/a">x</mi></math><img src="https://evil.test/b.gif">""")]
    [InlineData("""<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E%3Cimage href='https://evil.test/a.gif'/%3E%3C/svg%3E">""")]
    [InlineData("""<div style="background-image: url('data:image/svg+xml;utf8,<svg><image href=&quot;https://evil.test/a.gif&quot;/></svg>')">x</div>""")]
    [InlineData("""<img src="ftp://evil.test/a.gif">""")]
    [InlineData("""<img src="javascript:evil()">""")]
    public void Every_fetching_position_is_covered(string html)
    {
        var safe = MessageHtml.Sanitize(html);

        Assert.DoesNotContain("evil", safe.Html, StringComparison.OrdinalIgnoreCase);
        Assert.True(safe.BlockedImages >= 1, $"counted as blocked: {html} -> {safe.Html}");
        Assert.Equal(0, MessageHtml.Sanitize(safe.Html).BlockedImages);
    }

    [Theory]
    [InlineData("""<img src="/files/embeddedfile/7">""", "/files/embeddedfile/7")]
    [InlineData("""<img src="files/embeddedfile/7">""", "files/embeddedfile/7")]
    [InlineData("""<img src="cid:part1.abc@mail.test">""", "cid:part1.abc@mail.test")]
    [InlineData("""<img src="CID:part2@mail.test">""", "part2@mail.test")]
    [InlineData("""<img src="data:image/png;base64,iVBORw0KGgo=">""", "data:image/png;base64,iVBORw0KGgo=")]
    [InlineData("""<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">""", "data:image/gif;base64,R0lGODlhAQABAAAAACw=")]
    [InlineData("""<img srcset="/files/embeddedfile/7 1x, /files/embeddedfile/8 2x">""", "/files/embeddedfile/8 2x")]
    [InlineData("""<table background="/files/embeddedfile/7"><tr><td>x</td></tr></table>""", "/files/embeddedfile/7")]
    [InlineData("""<div style="background-image: url(/files/embeddedfile/9)">x</div>""", "/files/embeddedfile/9")]
    [InlineData("""<div style="background-image: url('data:image/jpeg;base64,/9j/4AAQ')">x</div>""", "data:image/jpeg;base64,/9j/4AAQ")]
    [InlineData("""<div style="font-family: 'Segoe UI', sans-serif; content: counter(item, '. ')">x</div>""", "Segoe UI")]
    [InlineData("""<a href="https://example.test/page">a link</a>""", "https://example.test/page")]
    public void The_Apps_own_paths_cid_and_raster_data_images_stay(string html, string kept)
    {
        var safe = MessageHtml.Sanitize(html);

        Assert.Contains(kept, safe.Html, StringComparison.Ordinal);
        Assert.Equal(0, safe.BlockedImages);
    }

    [Fact]
    public void Showing_remote_images_keeps_http_images_but_never_refused_schemes()
    {
        var safe = MessageHtml.Sanitize("""
            <img src="https://images.test/a.gif"><img src="//images.test/b.gif">
            <img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E"><img src="ftp://images.test/c.gif">
            """, allowRemoteImages: true);

        Assert.Contains("https://images.test/a.gif", safe.Html, StringComparison.Ordinal);
        Assert.Contains("//images.test/b.gif", safe.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("svg", safe.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("ftp:", safe.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://evil.test/", FetchTarget.Remote)]
    [InlineData("//evil.test/", FetchTarget.Remote)]
    [InlineData(@"\\evil.test/", FetchTarget.Remote)]
    [InlineData(@"/\evil.test/", FetchTarget.Remote)]
    [InlineData(@"\/evil.test/", FetchTarget.Remote)]
    [InlineData("\u0000\u001f //evil.test/", FetchTarget.Remote)]
    [InlineData("/\t/evil.test/", FetchTarget.Remote)]
    [InlineData("/\r\n/evil.test/", FetchTarget.Remote)]
    [InlineData("h\nt\tt\rps://evil.test/", FetchTarget.Remote)]
    [InlineData("HtTpS:evil.test", FetchTarget.Remote)]
    [InlineData(@"https:\\evil.test", FetchTarget.Remote)]
    [InlineData("https://evil.test/ \u0001", FetchTarget.Remote)]
    [InlineData("/files/embeddedfile/1", FetchTarget.Local)]
    [InlineData("files/1", FetchTarget.Local)]
    [InlineData("?x=//evil.test", FetchTarget.Local)]
    [InlineData("#//evil.test", FetchTarget.Local)]
    [InlineData("/%2F%2Fevil.test", FetchTarget.Local)]
    [InlineData("\u00a0//evil.test", FetchTarget.Local)]
    [InlineData("", FetchTarget.Local)]
    [InlineData("cid:a@b", FetchTarget.Local)]
    [InlineData("data:image/png;base64,AAAA", FetchTarget.Local)]
    [InlineData("data: IMAGE/JPEG ;base64,AAAA", FetchTarget.Local)]
    [InlineData("data:image/svg+xml,<svg/>", FetchTarget.Refused)]
    [InlineData("data:text/html,<p>", FetchTarget.Refused)]
    [InlineData("data:image/png", FetchTarget.Refused)]
    [InlineData("javascript:alert(1)", FetchTarget.Refused)]
    [InlineData("ftp://evil.test/", FetchTarget.Refused)]
    [InlineData("blob:https://evil.test/x", FetchTarget.Refused)]
    [InlineData("evil.test:443/x", FetchTarget.Refused)]
    public void URLs_are_read_the_way_browsers_parse_them(string url, FetchTarget expected) =>
        Assert.Equal(expected, FetchUrl.Classify(url));

    [Theory]
    [InlineData("background: url(https://a.test/1)", "https://a.test/1")]
    [InlineData("background: url( 'https://a.test/1' )", "https://a.test/1")]
    [InlineData("background: u\\72 l(https://a.test/1)", "https://a.test/1")]
    [InlineData("background: URL(\\2f\\2f a.test/1)", "//a.test/1")]
    [InlineData("background: /* url(https://not.test) */ image-set(\"https://a.test/1\" 1x)", "https://a.test/1")]
    [InlineData("background: -webkit-image-set('https://a.test/1' 1x, url(/b) 2x)", "https://a.test/1|/b")]
    [InlineData("content: counter(item, '. ') ' text'; font-family: 'Segoe UI'", "")]
    [InlineData("background: image-set(var(--x, 'https://a.test/1') 1x)", "https://a.test/1")]
    [InlineData("@import 'https://a.test/1.css'; @import url(https://a.test/2.css); @import foo", "https://a.test/1.css|https://a.test/2.css|https:")]
    public void CSS_is_read_for_fetches_the_way_browsers_tokenize_it(string css, string expected) =>
        Assert.Equal(expected, string.Join('|', CssFetches.Fetches(css)));

    [Theory]
    [InlineData("/a.png 1x, /b.png 2x", "/a.png|/b.png")]
    [InlineData("/a.png,/b.png 2x", "/a.png,/b.png")]
    [InlineData(" /a.png, ,//c.test/x 100w", "/a.png|//c.test/x")]
    [InlineData("/a.png (max-width: 1px, 2px) 1x, //c.test/x", "/a.png|//c.test/x")]
    public void Srcset_is_split_the_way_the_HTML_spec_splits_it(string srcset, string expected) =>
        Assert.Equal(expected, string.Join('|', MessageHtml.SrcsetUrls(srcset)));
}
