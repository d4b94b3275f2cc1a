using System.Text.Json.Nodes;

namespace EmailIntegration.Core.Views;

/// <summary>Names that may be a text or one text per language (<c>{"en": "Unread", "sv": "Olästa"}</c>).</summary>
public static class ViewText
{
    public static string Display(JsonNode? name, string fallback, string language = "en")
    {
        if (name is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0)
        {
            return text;
        }

        if (name is JsonObject languages)
        {
            if (languages[language] is JsonValue v && v.TryGetValue<string>(out var own) && own.Length > 0)
            {
                return own;
            }

            foreach (var (_, node) in languages)
            {
                if (node is JsonValue any && any.TryGetValue<string>(out var first) && first.Length > 0)
                {
                    return first;
                }
            }
        }

        return fallback;
    }
}
