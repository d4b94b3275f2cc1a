using System.Globalization;
using System.Text;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Finds the URLs a piece of CSS would fetch, with a small tokenizer after CSS Syntax Level 3
/// (comments, strings, escapes, <c>url(</c> tokens, functions, at-keywords), so that escaped names
/// (<c>u\72l(</c>), comments and quoting change nothing. Counted as a fetch: every <c>url()</c>,
/// every string inside a function that is not a known text function (<c>image-set("...")</c>,
/// <c>-webkit-image-set</c>, <c>image()</c>, <c>cross-fade()</c>, <c>src()</c>, <c>var()</c>
/// fallbacks, ...) and every <c>@import</c>.
/// </summary>
public static class CssFetches
{
    /// <summary>Functions whose strings are text, never a URL.</summary>
    private static readonly HashSet<string> TextFunctions = new(StringComparer.Ordinal)
    {
        "attr", "counter", "counters", "format", "local", "tech", "symbols", "rgb", "rgba", "hsl", "hsla", "calc",
    };

    /// <summary>Properties that fetch through something other than a URL (old IE and Gecko bindings), or carry values into other properties.</summary>
    private static bool IsForbiddenProperty(string name) =>
        name.StartsWith("--", StringComparison.Ordinal) || name is "behavior" or "-moz-binding" or "-ms-behavior";

    private enum Kind
    {
        Ident,
        Function,
        AtKeyword,
        String,
        Url,
        OpenParen,
        Open,
        Close,
        Semicolon,
        Colon,
        Whitespace,
        Delim,
    }

    private readonly record struct Token(Kind Kind, string Value, int Start, int End);

    /// <summary>
    /// A style attribute with every declaration removed that would fetch a URL <paramref name="keep"/>
    /// refuses (or that fetches by other means); <paramref name="removed"/> counts the refused URLs.
    /// </summary>
    public static string FilterDeclarations(string css, Func<string, bool> keep, out int removed, out bool changed)
    {
        removed = 0;
        changed = false;
        var tokens = Tokenize(css);
        var kept = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            var end = i == tokens.Count;
            if (!end)
            {
                var kind = tokens[i].Kind;
                depth += kind is Kind.Function or Kind.OpenParen or Kind.Open ? 1 : kind == Kind.Close && depth > 0 ? -1 : 0;
                if (!(kind == Kind.Semicolon && depth == 0))
                {
                    continue;
                }
            }

            var declaration = tokens.GetRange(start, i - start);
            start = i + 1;
            if (declaration.All(t => t.Kind == Kind.Whitespace))
            {
                continue;
            }

            var property = declaration.FirstOrDefault(t => t.Kind != Kind.Whitespace);
            // A custom property carries its strings into var() wherever it is used, image-set() included.
            var custom = property.Kind == Kind.Ident && property.Value.StartsWith("--", StringComparison.Ordinal);
            var fetches = custom ? declaration.Where(t => t.Kind is Kind.String or Kind.Url).Select(t => t.Value).ToList() : Fetches(declaration);
            var refused = fetches.Count(url => !keep(url));
            if (refused > 0 || property.Kind != Kind.Ident || IsForbiddenProperty(property.Value.ToLowerInvariant()))
            {
                removed += refused;
                changed = true;
                continue;
            }

            kept.Add(css[declaration[0].Start..declaration[^1].End].Trim());
        }

        return string.Join("; ", kept);
    }

    /// <summary>Every URL this CSS (a style sheet or a declaration list) would fetch; an <c>@import</c> counts even when its URL could not be read.</summary>
    public static IReadOnlyList<string> Fetches(string css) => Fetches(Tokenize(css));

    /// <summary>Whether the CSS has an <c>@import</c> (it fetches a style sheet, which can fetch anything).</summary>
    public static bool HasImport(string css) => Tokenize(css).Any(t => t.Kind == Kind.AtKeyword && t.Value.Equals("import", StringComparison.OrdinalIgnoreCase));

    private static List<string> Fetches(List<Token> tokens)
    {
        var urls = new List<string>();
        var functions = new Stack<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            switch (token.Kind)
            {
                case Kind.Url:
                    urls.Add(token.Value);
                    break;
                case Kind.Function:
                    functions.Push(token.Value.ToLowerInvariant());
                    break;
                case Kind.OpenParen or Kind.Open:
                    functions.Push("");
                    break;
                case Kind.Close when functions.Count > 0:
                    functions.Pop();
                    break;
                case Kind.String when functions.Any(f => f.Length > 0 && !TextFunctions.Contains(f)):
                    urls.Add(token.Value);
                    break;
                case Kind.AtKeyword when token.Value.Equals("import", StringComparison.OrdinalIgnoreCase):
                    // Note: "@import 'x'" takes a bare string; count it as the URL it is.
                    var next = tokens.Skip(i + 1).FirstOrDefault(t => t.Kind != Kind.Whitespace);
                    if (next.Kind == Kind.String)
                    {
                        urls.Add(next.Value);
                    }
                    else if (next.Kind is not (Kind.Url or Kind.Function))
                    {
                        // Unreadable: counted as remote, which it may well be.
                        urls.Add("https:");
                    }

                    break;
            }
        }

        return urls;
    }

    private static List<Token> Tokenize(string css)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < css.Length)
        {
            var start = i;
            var c = css[i];
            if (c == '/' && At(css, i + 1) == '*')
            {
                var close = css.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = close < 0 ? css.Length : close + 2;
                continue;
            }

            if (IsWhitespace(c))
            {
                while (i < css.Length && IsWhitespace(css[i]))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Whitespace, " ", start, i));
            }
            else if (c is '"' or '\'')
            {
                var value = ConsumeString(css, ref i);
                tokens.Add(new Token(Kind.String, value, start, i));
            }
            else if (StartsIdent(css, i))
            {
                var name = ConsumeName(css, ref i);
                if (At(css, i) == '(')
                {
                    i++;
                    if (name.Equals("url", StringComparison.OrdinalIgnoreCase))
                    {
                        var j = i;
                        while (j < css.Length && IsWhitespace(css[j]))
                        {
                            j++;
                        }

                        if (At(css, j) is not ('"' or '\''))
                        {
                            var url = ConsumeUrl(css, ref i);
                            tokens.Add(new Token(Kind.Url, url, start, i));
                            continue;
                        }
                    }

                    tokens.Add(new Token(Kind.Function, name, start, i));
                }
                else
                {
                    tokens.Add(new Token(Kind.Ident, name, start, i));
                }
            }
            else if (c == '@' && StartsIdent(css, i + 1))
            {
                i++;
                var name = ConsumeName(css, ref i);
                tokens.Add(new Token(Kind.AtKeyword, name, start, i));
            }
            else
            {
                i++;
                var kind = c switch
                {
                    '(' => Kind.OpenParen,
                    '[' or '{' => Kind.Open,
                    ')' or ']' or '}' => Kind.Close,
                    ';' => Kind.Semicolon,
                    ':' => Kind.Colon,
                    _ => Kind.Delim,
                };
                tokens.Add(new Token(kind, c.ToString(), start, i));
            }
        }

        return tokens;
    }

    private static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\f';

    private static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= 0x80;

    private static bool IsName(char c) => IsNameStart(c) || char.IsAsciiDigit(c) || c == '-';

    private static bool IsValidEscape(string s, int i) => At(s, i) == '\\' && i + 1 < s.Length && s[i + 1] is not ('\n' or '\r' or '\f');

    private static bool StartsIdent(string s, int i)
    {
        var c = At(s, i);
        if (c == '-')
        {
            return IsNameStart(At(s, i + 1)) || At(s, i + 1) == '-' || IsValidEscape(s, i + 1);
        }

        return IsNameStart(c) || IsValidEscape(s, i);
    }

    private static string ConsumeName(string s, ref int i)
    {
        var name = new StringBuilder();
        while (i < s.Length)
        {
            if (IsName(s[i]))
            {
                name.Append(s[i++]);
            }
            else if (IsValidEscape(s, i))
            {
                i++;
                name.Append(ConsumeEscape(s, ref i));
            }
            else
            {
                break;
            }
        }

        return name.ToString();
    }

    /// <summary>After the backslash: up to six hex digits and one whitespace, or the next character as itself.</summary>
    private static string ConsumeEscape(string s, ref int i)
    {
        if (i >= s.Length)
        {
            return "\uFFFD";
        }

        if (!char.IsAsciiHexDigit(s[i]))
        {
            return s[i++].ToString();
        }

        var start = i;
        while (i < s.Length && i - start < 6 && char.IsAsciiHexDigit(s[i]))
        {
            i++;
        }

        var value = int.Parse(s.AsSpan(start, i - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (i < s.Length && IsWhitespace(s[i]))
        {
            // Note: CRLF after an escape is one whitespace.
            i += s[i] == '\r' && At(s, i + 1) == '\n' ? 2 : 1;
        }

        return value is 0 or > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(value);
    }

    private static string ConsumeString(string s, ref int i)
    {
        var quote = s[i++];
        var value = new StringBuilder();
        while (i < s.Length)
        {
            var c = s[i];
            if (c == quote)
            {
                i++;
                break;
            }

            if (c is '\n' or '\r' or '\f')
            {
                // A bad string: the browser drops it, and the newline starts the next token.
                break;
            }

            if (c == '\\')
            {
                i++;
                if (i >= s.Length)
                {
                    break;
                }

                if (s[i] is '\n' or '\r' or '\f')
                {
                    i += s[i] == '\r' && At(s, i + 1) == '\n' ? 2 : 1;
                    continue;
                }

                value.Append(ConsumeEscape(s, ref i));
                continue;
            }

            value.Append(c);
            i++;
        }

        return value.ToString();
    }

    /// <summary>An unquoted <c>url(</c> token's value, up to its closing parenthesis; a malformed one is read to its end the same way (the browser drops it, but it is checked all the same).</summary>
    private static string ConsumeUrl(string s, ref int i)
    {
        var value = new StringBuilder();
        while (i < s.Length && IsWhitespace(s[i]))
        {
            i++;
        }

        while (i < s.Length)
        {
            var c = s[i];
            if (c == ')')
            {
                i++;
                break;
            }

            if (IsValidEscape(s, i))
            {
                i++;
                value.Append(ConsumeEscape(s, ref i));
                continue;
            }

            value.Append(c);
            i++;
        }

        return value.ToString().TrimEnd(' ', '\t', '\n', '\r', '\f');
    }
}
