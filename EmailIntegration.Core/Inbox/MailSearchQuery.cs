using System.Text;

namespace EmailIntegration.Core.Inbox;

/// <summary>
/// What a person typed into "Search all mail", as an expression of the full-text index that can
/// only mean "all these words": every word is quoted (so <c>"</c>, <c>*</c>, <c>-</c>, <c>AND</c>,
/// <c>NEAR</c> or <c>subject:</c> are text, never syntax) and the last one, when it is a plain word of
/// three characters or more, is a prefix, so results come while typing. A word with punctuation inside
/// (<c>anna@example.com</c>, <c>report-2024.pdf</c>) is one phrase, searched whole: as a prefix its last
/// part (<c>com*</c>) would read the index entries of nearly every message. A plain word typed with a
/// trailing <c>*</c> is a prefix wherever it stands.
/// </summary>
public static class MailSearchQuery
{
    /// <summary>Longer input is cut here; nobody types more, and it bounds the work of one search.</summary>
    public const int MaxLength = 500;

    public const int MaxWords = 16;

    /// <summary>A shorter last word is searched whole: a prefix of one or two letters would read most of the index.</summary>
    public const int MinPrefixLength = 3;

    /// <summary>The expression, or null when the text holds no word to search for.</summary>
    public static string? ToExpression(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var input = text.Length > MaxLength ? text[..MaxLength] : text;
        // A word of only punctuation or symbols has no token in the index: it could only ever match nothing.
        var words = input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w.EnumerateRunes().Any(Rune.IsLetterOrDigit))
            .Take(MaxWords)
            .ToList();
        if (words.Count == 0)
        {
            return null;
        }

        var expression = new StringBuilder();
        for (var i = 0; i < words.Count; i++)
        {
            // "invoic*" asks for a prefix where a person knows the syntax; the star is not searched for.
            var word = words[i].TrimEnd('*');
            var plain = word.EnumerateRunes().All(Rune.IsLetterOrDigit);
            var prefix = plain && (word.Length < words[i].Length ? word.Length > 1 : i == words.Count - 1 && word.Length >= MinPrefixLength);
            expression.Append(i > 0 ? " \"" : "\"").Append((prefix ? word : words[i]).Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            if (prefix)
            {
                expression.Append('*');
            }
        }

        return expression.ToString();
    }
}
