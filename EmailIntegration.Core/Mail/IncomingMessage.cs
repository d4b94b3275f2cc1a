namespace EmailIntegration.Core.Mail;

/// <summary>
/// A parsed incoming message in the product's own terms; MimeKit stays inside Mail/.
/// Disposing it deletes the temporary file the bytes were spooled to.
/// </summary>
public sealed class IncomingMessage : IAsyncDisposable
{
    public required MailboxMessageRef Ref { get; init; }

    public string? MessageId { get; init; }

    public IReadOnlyList<string> InReplyTo { get; init; } = [];

    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>RFC 5322's line limit: a longer subject is cut with an ellipsis; the raw message keeps it whole.</summary>
    public const int MaxSubjectLength = 998;

    /// <summary>The subject, at most <see cref="MaxSubjectLength"/> characters.</summary>
    public string Subject { get; init; } = "";

    /// <summary>
    /// Why the message was refused before it was parsed (a header past <see cref="HeaderBounds"/>), or
    /// null. A refused message carries only its reference, subject, hash and raw bytes; it must not be imported.
    /// </summary>
    public string? Refusal { get; init; }

    public MessageAddress? From { get; init; }

    public IReadOnlyList<MessageAddress> To { get; init; } = [];

    public IReadOnlyList<MessageAddress> Cc { get; init; } = [];

    public DateTimeOffset Date { get; init; }

    public string? TextBody { get; init; }

    public string? HtmlBody { get; init; }

    /// <summary>The text part, or the HTML part converted to text when there is no text part.</summary>
    public string? PlainText { get; init; }

    public IReadOnlyList<IncomingAttachment> Attachments { get; init; } = [];

    /// <summary>Why the message is automatic (auto-reply, bounce, list), or null for a person's mail.</summary>
    public string? AutomaticReason { get; init; }

    public string? Language { get; init; }

    /// <summary>"S/MIME" or "OpenPGP" when the message carries a signature; it is not verified, and stays in the raw message.</summary>
    public string? Signature { get; init; }

    /// <summary>
    /// SHA-256 of the bodies with line ends and trailing blanks normalized: the same text delivered
    /// again over another route (other transport headers, other line ends) hashes the same.
    /// </summary>
    public string BodyHash => bodyHash ??= NormalizedHash(TextBody, HtmlBody);

    private string? bodyHash;

    /// <summary>SHA-256 of the raw bytes, for messages without a Message-ID.</summary>
    public required string ContentHash { get; init; }

    public long Size { get; init; }

    /// <summary>Copies the raw message (.eml) out, for the failure record.</summary>
    public required Func<Stream, CancellationToken, Task> WriteRawAsync { get; init; }

    internal IDisposable? Owner { get; init; }

    internal string? SpoolPath { get; init; }

    private static string NormalizedHash(params string?[] bodies)
    {
        var text = new System.Text.StringBuilder();
        foreach (var body in bodies)
        {
            text.Append('\u0001');
            foreach (var line in (body ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd().Split('\n'))
            {
                text.Append(line.TrimEnd()).Append('\n');
            }
        }

        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string TrimSubject(string subject)
    {
        if (subject.Length <= MaxSubjectLength)
        {
            return subject;
        }

        // Never split a surrogate pair.
        var cut = MaxSubjectLength - 1;
        if (char.IsHighSurrogate(subject[cut - 1]))
        {
            cut--;
        }

        return subject[..cut] + "…";
    }

    public ValueTask DisposeAsync()
    {
        Owner?.Dispose();
        if (SpoolPath is not null)
        {
            try
            {
                File.Delete(SpoolPath);
            }
            catch (IOException)
            {
                // A leftover spool file is removed with the temp folder; it must not fail an import.
            }
        }

        return ValueTask.CompletedTask;
    }
}
