using System.Globalization;
using System.Net;
using System.Text;
using EmailIntegration.Core.Mail;

namespace EmailIntegration.Core.Notifications;

/// <summary>The merge codes' values for one email, each already HTML (text is encoded).</summary>
public static class MergeValues
{
    /// <param name="threadHtml">The thread as <see cref="ThreadHtml"/> renders it, when already rendered for another recipient of the same event.</param>
    public static IReadOnlyDictionary<string, string> Build(MergeInput input, string? threadHtml = null)
    {
        static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
        var subject = $"\u201c{input.Subject}\u201d";
        var toAuthor = input.Recipients.Count == 1 && string.Equals(input.Recipients[0].Address, input.Author.Address, StringComparison.OrdinalIgnoreCase);
        var update = (input.Kind, input.Event) switch
        {
            (TemplateKind.AutoReply, _) when toAuthor =>
                $"We have received your message {subject}. {input.Account.Display} will answer as soon as possible.",
            (TemplateKind.AutoReply, _) =>
                $"{input.Author.Display} ({input.Author.Address}) started the conversation {subject} with {input.Account.Display} and included you.",
            (_, NotificationEventKind.AgentReply) =>
                $"{input.Author.Display} of {input.Account.Display} replied in the conversation {subject}.",
            _ => $"{input.Author.Display} ({input.Author.Address}) wrote a new message in the conversation {subject}.",
        };

        var others = input.Audience.Where(a => !input.Recipients.Any(r => string.Equals(r.Address, a.Address, StringComparison.OrdinalIgnoreCase))).ToList();
        var othersInfo = input.Recipients.Count > 1
            ? $"This message was sent to: {Join(input.Recipients.Select(Labelled))}."
            : others.Count == 0 ? "You are the only recipient of this message." : $"This message was also sent to: {Join(others.Select(Labelled))}.";

        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["conversation_update_info"] = E(update),
            ["other_followers_info"] = E(othersInfo),
            ["reply_info"] = E($"Reply to this email to answer. Your reply goes to {input.Account.Address} and everyone in the conversation is told, so there is no need to reply to all."),
            ["conversation_messages"] = threadHtml ?? ThreadHtml(input.Thread),
            ["followers"] = E(Join(input.Followers.Select(Labelled))),
            ["follower_addresses"] = E(Join(input.Followers.Select(f => f.Address))),
            ["follower_addresses_mailto"] = Join(input.Followers.Select(f => $"<a href=\"mailto:{E(f.Address)}\">{E(f.Address)}</a>")),
            ["follower_names"] = E(Join(input.Followers.Select(f => f.Display))),
            ["num_followers"] = input.Followers.Count.ToString(CultureInfo.InvariantCulture),
            ["recipient_address"] = E(Join(input.Recipients.Select(r => r.Address))),
            ["recipient_name"] = E(Join(input.Recipients.Select(r => r.Display))),
            ["sender_address"] = E(input.Author.Address),
            ["sender_name"] = E(input.Author.Display),
        };
    }

    private static string Labelled(Participant p) => $"{p.Display} ({p.Address})";

    private static string Join(IEnumerable<string> values) => string.Join(", ", values);

    /// <summary>The thread, newest first; every body through the sanitizer (it is someone else's HTML).</summary>
    public static string ThreadHtml(IReadOnlyList<ThreadEntry> thread)
    {
        var html = new StringBuilder();
        foreach (var entry in thread.OrderByDescending(t => t.Date))
        {
            var who = WebUtility.HtmlEncode(string.IsNullOrWhiteSpace(entry.FromName) ? entry.FromAddress ?? "" : $"{entry.FromName} <{entry.FromAddress}>");
            var when = entry.Date is { } date ? date.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "";
            html.Append("<div class=\"ei-message\"><div class=\"ei-message-head\">").Append(who).Append(" \u00b7 ").Append(when)
                .Append("</div><div class=\"ei-message-body\">").Append(MessageHtml.Sanitize(entry.Html).Html).Append("</div></div>");
        }

        return html.ToString();
    }
}
