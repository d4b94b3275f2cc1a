using Ganss.Xss;

namespace EmailIntegration.Core.Mail;

/// <summary>An email's HTML made safe to show: sanitized, and how many remote images were held back.</summary>
public sealed record SafeHtml(string Html, int BlockedImages);

/// <summary>
/// Sanitizes email HTML before any person sees it (HtmlSanitizer): no scripts, no event handlers,
/// no forms, no positioning that could cover the page; links open in a new tab without a referrer;
/// remote images are blocked (they tell the sender the mail was read) unless asked for.
/// </summary>
public static class MessageHtml
{
    public static SafeHtml Sanitize(string html, bool allowRemoteImages = false)
    {
        var blocked = 0;
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedTags.Remove("form");
        sanitizer.AllowedTags.Remove("input");
        sanitizer.AllowedTags.Remove("button");
        sanitizer.AllowedTags.Remove("textarea");
        sanitizer.AllowedTags.Remove("select");
        sanitizer.AllowedCssProperties.Remove("position");
        sanitizer.AllowedCssProperties.Remove("z-index");
        sanitizer.AllowedSchemes.Add("mailto");
        sanitizer.AllowedSchemes.Add("cid");
        // Note: a tracker also hides in background attributes and CSS url(); every remote URL that is
        // not a link's target is blocked, not only <img src>.
        sanitizer.FilterUrl += (_, e) =>
        {
            var isLink = e.Tag.TagName is "A" or "AREA" && e.Tag.GetAttribute("href") == e.OriginalUrl;
            if (!isLink && !allowRemoteImages && e.SanitizedUrl is { } url
                && (url.StartsWith("http:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https:", StringComparison.OrdinalIgnoreCase) || url.StartsWith("//", StringComparison.Ordinal)))
            {
                blocked++;
                e.SanitizedUrl = null;
            }
        };
        sanitizer.PostProcessNode += (_, e) =>
        {
            if (e.Node is AngleSharp.Dom.IElement { TagName: "A" } link)
            {
                link.SetAttribute("target", "_blank");
                link.SetAttribute("rel", "noopener noreferrer nofollow");
            }
        };
        var result = sanitizer.Sanitize(html);
        return new SafeHtml(result, blocked);
    }
}
