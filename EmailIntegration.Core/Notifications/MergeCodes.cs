using System.Text.RegularExpressions;

namespace EmailIntegration.Core.Notifications;

/// <summary>
/// The merge codes of the configuration guide, written <c>{{ code }}</c> in a template. Values are
/// HTML: text values are encoded before they get here, so a hostile name or subject stays text.
/// </summary>
public static partial class MergeCodes
{
    public static readonly IReadOnlyList<(string Code, string Description)> All =
    [
        ("conversation_update_info", "Information about what kind of update happened to a conversation you are in"),
        ("other_followers_info", "Information about who else the message was sent to"),
        ("reply_info", "Information about the reply options"),
        ("conversation_messages", "Content of the whole conversation thread"),
        ("followers", "Followers in the format \"name (email address)\", comma separated"),
        ("follower_addresses", "Followers' email addresses, comma separated"),
        ("follower_addresses_mailto", "Followers' email addresses, mailto links"),
        ("follower_names", "Followers' names, comma separated"),
        ("num_followers", "Number of followers"),
        ("recipient_address", "Recipient's email address"),
        ("recipient_name", "Recipient's name"),
        ("sender_address", "Sender's email address"),
        ("sender_name", "Sender's name"),
    ];

    private static readonly HashSet<string> Known = All.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")]
    private static partial Regex Pattern();

    /// <summary>The template with every known code replaced; an unknown one is left as written.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values) =>
        Pattern().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    /// <summary>Codes in the template that are not merge codes (misspelt ones, usually).</summary>
    public static IReadOnlyList<string> Unknown(string template) =>
        Pattern().Matches(template).Select(m => m.Groups[1].Value).Where(c => !Known.Contains(c)).Distinct().ToList();
}
