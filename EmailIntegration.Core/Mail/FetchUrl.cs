using System.Text;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Decides where a URL in an image or style position would be fetched from, the way the WHATWG URL
/// parser reads it against a special (http or https) base, instead of by prefixes: leading and
/// trailing C0 controls and spaces are stripped, tabs and newlines inside are removed, a scheme is
/// ASCII letters, digits, <c>+ - .</c> up to a colon in any case, and for special URLs a backslash
/// is a slash. The input is the value after HTML character references were decoded (an attribute
/// of the parsed DOM) or CSS escapes were (a CSS token's value).
/// </summary>
/// <remarks>
/// Only relative URLs count as the App's own origin: an absolute http(s) URL is remote even when
/// it names this server, because the origin the page runs under is not known here and "http:host"
/// means another host under an https page. Nothing the App writes itself is absolute.
/// </remarks>
public static class FetchUrl
{
    private static readonly HashSet<string> RasterImageTypes = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpeg", "image/jpg", "image/pjpeg", "image/gif", "image/webp", "image/bmp", "image/avif",
        "image/x-icon", "image/vnd.microsoft.icon",
    };

    public static FetchTarget Classify(string? url)
    {
        var s = Normalize(url ?? "");
        if (s.Length == 0)
        {
            // Note: an empty URL resolves to the document itself.
            return FetchTarget.Local;
        }

        var scheme = Scheme(s);
        if (scheme is null)
        {
            // Relative: two slashes of either kind start an authority (another host); anything else is a
            // path, query or fragment on the page's own origin.
            return s.Length >= 2 && IsSlash(s[0]) && IsSlash(s[1]) ? FetchTarget.Remote : FetchTarget.Local;
        }

        return scheme switch
        {
            "cid" => FetchTarget.Local,
            "data" => IsRasterImageData(s) ? FetchTarget.Local : FetchTarget.Refused,
            "http" or "https" => FetchTarget.Remote,
            _ => FetchTarget.Refused,
        };
    }

    /// <summary>The URL as the URL parser sees it: C0 controls and spaces trimmed, every tab, CR and LF removed.</summary>
    public static string Normalize(string url)
    {
        var start = 0;
        var end = url.Length;
        while (start < end && url[start] <= ' ')
        {
            start++;
        }

        while (end > start && url[end - 1] <= ' ')
        {
            end--;
        }

        var result = new StringBuilder(end - start);
        for (var i = start; i < end; i++)
        {
            if (url[i] is not ('\t' or '\n' or '\r'))
            {
                result.Append(url[i]);
            }
        }

        return result.ToString();
    }

    /// <summary>The lowercased scheme, or null when the URL is relative (the scheme state fails).</summary>
    private static string? Scheme(string s)
    {
        if (!char.IsAsciiLetter(s[0]))
        {
            return null;
        }

        for (var i = 1; i < s.Length; i++)
        {
            var c = s[i];
            if (c == ':')
            {
                return s[..i].ToLowerInvariant();
            }

            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
            {
                return null;
            }
        }

        return null;
    }

    private static bool IsSlash(char c) => c is '/' or '\\';

    /// <summary>A <c>data:</c> URL whose MIME type (as the data URL processor reads it) is a raster image; SVG can reference other URLs.</summary>
    private static bool IsRasterImageData(string s)
    {
        var comma = s.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            return false;
        }

        var mime = s["data:".Length..comma];
        var semicolon = mime.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon < 0 ? mime : mime[..semicolon]).Trim(' ', '\t', '\n', '\r', '\f').ToLowerInvariant();
        return RasterImageTypes.Contains(type);
    }
}
