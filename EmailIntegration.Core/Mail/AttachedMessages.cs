using System.Net;
using MimeKit;

namespace EmailIntegration.Core.Mail;

/// <summary>
/// Reads a stored attached message (.eml) for display, and serves the files inside it by path
/// ("2" = its third file, "0.1" = the second file of the message that is its first file).
/// </summary>
public static class AttachedMessages
{
    /// <summary>How many levels of messages inside messages are shown; deeper ones are offered as .eml files.</summary>
    public const int MaxDepth = 3;

    /// <summary>Larger stored messages are offered as a download only, never parsed for a page view.</summary>
    public const long MaxShownBytes = 25L * 1024 * 1024;

    /// <summary>The message in <paramref name="eml"/>; its images and files link below <paramref name="partUrl"/> (which ends in '/'). Null when it cannot be read.</summary>
    public static async Task<AttachedMessage?> ReadAsync(Stream eml, string partUrl, CancellationToken cancellationToken)
    {
        if (eml.CanSeek && eml.Length > MaxShownBytes)
        {
            return null;
        }

        try
        {
            using var message = await MimeMessage.LoadAsync(eml, cancellationToken);
            return Read(message, "", partUrl, 1);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Writes the file at <paramref name="path"/> inside the stored message; gives its name and type, or null when there is none.</summary>
    public static async Task<(string Name, string ContentType)?> WritePartAsync(Stream eml, string path, Stream destination, CancellationToken cancellationToken)
    {
        var steps = path.Split('.');
        if (steps.Length > MaxDepth * 2 || steps.Any(s => !int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }

        try
        {
            using var root = await MimeMessage.LoadAsync(eml, cancellationToken);
            var message = root;
            for (var i = 0; i < steps.Length; i++)
            {
                var parts = MessageParts.Read(message);
                var index = int.Parse(steps[i], System.Globalization.CultureInfo.InvariantCulture);
                if (index >= parts.Attachments.Count)
                {
                    return null;
                }

                if (i == steps.Length - 1)
                {
                    var attachment = parts.Attachments[index];
                    await attachment.WriteToAsync(destination, cancellationToken);
                    return (attachment.FileName, attachment.ContentType);
                }

                if (MessageParts.CarriedMessage(parts.Sources[index]) is not { } inner)
                {
                    return null;
                }

                message = inner;
            }
        }
        catch (FormatException)
        {
            return null;
        }

        return null;
    }

    private static AttachedMessage Read(MimeMessage message, string path, string partUrl, int depth)
    {
        var parts = MessageParts.Read(message);
        var html = parts.HtmlBody ?? $"<div style=\"white-space: pre-wrap\">{WebUtility.HtmlEncode(parts.TextBody ?? "")}</div>";
        var files = new List<AttachedFile>();
        var messages = new List<AttachedMessage>();
        for (var i = 0; i < parts.Attachments.Count; i++)
        {
            var attachment = parts.Attachments[i];
            var partPath = path.Length == 0 ? i.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{path}.{i}";
            if (attachment.ContentId is { } cid && html.Contains("cid:" + cid, StringComparison.OrdinalIgnoreCase))
            {
                // Images inside the attached message are served from the stored .eml, never fetched from elsewhere.
                html = html.Replace("cid:" + cid, partUrl + partPath, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (attachment.IsMessage && depth < MaxDepth && MessageParts.CarriedMessage(parts.Sources[i]) is { } inner)
            {
                messages.Add(Read(inner, partPath, partUrl, depth + 1));
            }

            files.Add(new AttachedFile(partPath, attachment.FileName));
        }

        return new AttachedMessage(
            path,
            message.Subject,
            message.From.Mailboxes.Select(ToAddress).FirstOrDefault(),
            message.To.Mailboxes.Select(ToAddress).ToList(),
            message.Date == DateTimeOffset.MinValue ? null : message.Date,
            MessageHtml.Sanitize(html),
            parts.Signature,
            files,
            messages);
    }

    private static MessageAddress ToAddress(MailboxAddress mailbox) =>
        new(mailbox.Address.Trim(), string.IsNullOrWhiteSpace(mailbox.Name) ? null : mailbox.Name.Trim());
}
