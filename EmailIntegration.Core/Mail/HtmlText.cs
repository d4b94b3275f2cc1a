using System.Text;
using MimeKit.Text;

namespace EmailIntegration.Core.Mail;

/// <summary>The readable text of an HTML body, from MimeKit's HTML tokenizer: block tags become line breaks, scripts and styles vanish.</summary>
public static class HtmlText
{
    public static string Convert(string html)
    {
        var text = new StringBuilder();
        var skip = 0;
        var tokenizer = new HtmlTokenizer(new StringReader(html)) { DecodeCharacterReferences = true };
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when tag.Id is HtmlTagId.Script or HtmlTagId.Style or HtmlTagId.Head:
                    skip += tag.IsEndTag ? -1 : tag.IsEmptyElement ? 0 : 1;
                    break;
                case HtmlTagToken tag when tag.Id is HtmlTagId.Br or HtmlTagId.P or HtmlTagId.Div or HtmlTagId.LI or HtmlTagId.TR
                    or HtmlTagId.H1 or HtmlTagId.H2 or HtmlTagId.H3 or HtmlTagId.H4 or HtmlTagId.BlockQuote or HtmlTagId.Table:
                    if (text.Length > 0 && text[^1] != '\n')
                    {
                        text.Append('\n');
                    }

                    break;
                case HtmlDataToken data when skip <= 0:
                    text.Append(data.Data);
                    break;
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(line => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))))
            .Trim();
    }
}
