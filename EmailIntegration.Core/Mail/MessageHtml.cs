using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Sanitizes email HTML before any person sees it (HtmlSanitizer): no scripts, no event handlers,
/// no forms, no positioning that could cover the page; links open in a new tab without a referrer.
/// Remote content is blocked by construction (a fetched image tells the sender the mail was read,
/// and from where): after sanitizing, every URL in a position the browser fetches from (image
/// sources and srcsets, background and poster attributes, SVG references, CSS <c>url()</c>,
/// <c>image-set()</c> strings, <c>@import</c>) stays only when <see cref="FetchUrl"/> reads it as
/// the App's own origin, <c>cid:</c> or a raster <c>data:image</c>. Everything else is removed and
/// counted, also what the sanitizer itself drops. Links (<c>a</c>/<c>area</c> <c>href</c>) are not
/// fetches and stay.
/// </summary>
public static class MessageHtml
{
    /// <summary>Attributes whose single URL the browser fetches (or would, were the element allowed).</summary>
    private static readonly HashSet<string> FetchAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "src", "background", "poster", "lowsrc", "dynsrc", "data", "href", "ping", "action", "formaction", "icon", "manifest",
        "codebase", "archive", "classid", "profile", "itemtype",
    };

    private static readonly HashSet<string> SrcsetAttributes = new(StringComparer.OrdinalIgnoreCase) { "srcset", "imagesrcset" };

    /// <param name="html">The email's HTML.</param>
    /// <param name="allowRemoteImages">Keep http(s) images (for the per-message frame whose own policy allows them); other refused URLs still go.</param>
    public static SafeHtml Sanitize(string html, bool allowRemoteImages = false)
    {
        bool Keep(string url) => FetchUrl.Classify(url) is var target && (target == FetchTarget.Local || (allowRemoteImages && target == FetchTarget.Remote));

        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        sanitizer.AllowedCssProperties.Remove("position");
        sanitizer.AllowedCssProperties.Remove("z-index");
        sanitizer.AllowedAttributes.Add("srcset");
        sanitizer.AllowedAttributes.Add("background");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("cid");
        sanitizer.AllowedSchemes.Add("data");
        // Only raster data:image URLs: a data: link or an SVG image is refused wherever it stands.
        sanitizer.FilterUrl += (_, e) =>
        {
            if (e.SanitizedUrl is { } url && FetchUrl.Normalize(url).StartsWith("data:", StringComparison.OrdinalIgnoreCase)
                && FetchUrl.Classify(url) != FetchTarget.Local)
            {
                e.SanitizedUrl = null;
            }
        };

        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is IElement { TagName: "A" } link)
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        var stripped = 0;
        sanitizer.PostProcessDom += (_, e) =>
        {
            if (e.Document.Body is { } body)
            {
                stripped += StripFetches(body, Keep);
            }
        };
        // Refused fetches go twice: from the mail as written (before the sanitizer's CSS parser rewrites
        // values it does not understand, and counted there, so what the sanitizer would drop on its own
        // counts too), and from the sanitized result, so what reaches the browser is checked by construction.
        using var original = new HtmlParser().ParseDocument("<!doctype html><html><body>" + html);
        var refused = original.Body is { } originalBody ? StripFetches(originalBody, Keep) : 0;
        var result = sanitizer.Sanitize(original.Body?.InnerHtml ?? "");
        return new SafeHtml(result, refused + stripped);
    }

    /// <summary>Removes every refused fetch below <paramref name="root"/>: attributes, CSS declarations, style sheets and elements that only fetch.</summary>
    private static int StripFetches(IElement root, Func<string, bool> keep)
    {
        var removed = 0;
        foreach (var element in root.QuerySelectorAll("*").ToArray())
        {
            if (element.LocalName is "base" or "link" or "meta" or "script" or "iframe" or "frame" or "object" or "embed")
            {
                removed += Refused(element, keep);
                element.Remove();
                continue;
            }

            if (element.LocalName == "style")
            {
                var css = element.TextContent;
                var refused = RefusedInStyleSheet(css, keep);
                if (refused > 0 || CssFetches.HasImport(css))
                {
                    removed += refused;
                    element.Remove();
                    continue;
                }
            }

            foreach (var attribute in element.Attributes.ToArray())
            {
                if (attribute.Name.Equals("style", StringComparison.OrdinalIgnoreCase))
                {
                    var filtered = CssFetches.FilterDeclarations(attribute.Value, keep, out var refused, out var changed);
                    removed += refused;
                    if (changed && filtered.Length == 0)
                    {
                        element.RemoveAttribute(attribute.Name);
                    }
                    else if (changed)
                    {
                        element.SetAttribute(attribute.Name, filtered);
                    }

                    continue;
                }

                var count = Refused(element, attribute.Name, attribute.Value, keep);
                if (count > 0)
                {
                    removed += count;
                    element.RemoveAttribute(attribute.NamespaceUri, attribute.LocalName);
                }
            }
        }

        return removed;
    }

    private static int RefusedInStyleSheet(string css, Func<string, bool> keep) =>
        CssFetches.Fetches(css).Count(url => !keep(url));

    private static int Refused(IElement element, Func<string, bool> keep) =>
        element.Attributes.Sum(a => Refused(element, a.Name, a.Value, keep));

    /// <summary>How many URLs this attribute would fetch that <paramref name="keep"/> refuses.</summary>
    private static int Refused(IElement element, string name, string value, Func<string, bool> keep)
    {
        var localName = name.Contains(':', StringComparison.Ordinal) ? name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..] : name;
        if (localName.Equals("href", StringComparison.OrdinalIgnoreCase) && element.LocalName is "a" or "area")
        {
            // A link is followed only when clicked, and then opens without a referrer.
            return 0;
        }

        if (name.Equals("style", StringComparison.OrdinalIgnoreCase))
        {
            return CssFetches.Fetches(value).Count(url => !keep(url));
        }

        if (SrcsetAttributes.Contains(localName))
        {
            return SrcsetUrls(value).Count(url => !keep(url));
        }

        if (FetchAttributes.Contains(localName))
        {
            return keep(value) ? 0 : 1;
        }

        // SVG and MathML presentation attributes (fill, filter, mask, clip-path, marker-*) take url() references.
        return element.NamespaceUri != NamespaceNames.HtmlUri ? CssFetches.Fetches(value).Count(url => !keep(url)) : 0;
    }

    /// <summary>The URLs of a srcset, as the HTML spec splits it: a URL runs to whitespace (trailing commas are not part of it), descriptors run to a comma outside parentheses.</summary>
    public static IReadOnlyList<string> SrcsetUrls(string srcset)
    {
        var urls = new List<string>();
        var i = 0;
        while (i < srcset.Length)
        {
            while (i < srcset.Length && (char.IsWhiteSpace(srcset[i]) || srcset[i] == ','))
            {
                i++;
            }

            var start = i;
            while (i < srcset.Length && !(srcset[i] is ' ' or '\t' or '\n' or '\r' or '\f'))
            {
                i++;
            }

            if (i == start)
            {
                break;
            }

            var url = srcset[start..i];
            var endsWithComma = url.EndsWith(',');
            urls.Add(url.TrimEnd(','));
            if (endsWithComma)
            {
                continue;
            }

            var depth = 0;
            while (i < srcset.Length && !(srcset[i] == ',' && depth == 0))
            {
                depth += srcset[i] == '(' ? 1 : srcset[i] == ')' && depth > 0 ? -1 : 0;
                i++;
            }
        }

        return urls;
    }
}
