using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Settings;

namespace EmailIntegration.Core.Import;

/// <summary>
/// What the import does with a message: its dedupe key, whether it is in already, and a note for
/// the log. A true re-delivery (same Message-ID, sender and content, whatever its transport headers)
/// is a dedupe hit; the same Message-ID from the same sender with other content is a message of its
/// own, and the import log says so.
/// </summary>
internal sealed record MessageIdentity(string UniqueId, bool Duplicate, string? Note = null, string? Fingerprint = null)
{
    /// <param name="stored">Gives the stored attachments once storing has ended, or null when storing failed.</param>
    public static async Task<MessageIdentity> IdentifyAsync(
        ObjectSession session, RuntimeConfiguration runtime, Guid accountId, IncomingMessage message,
        Func<Task<IReadOnlyList<StoredAttachment>?>> stored, CancellationToken cancellationToken)
    {
        var key = ImportService.DedupeKey(accountId, message);
        var found = await FindImportedAsync(session, runtime, key, cancellationToken);
        if (found is null)
        {
            return new MessageIdentity(key, false);
        }

        // Without a Message-ID the key is the hash of the raw bytes: the same key is the same message.
        if (message.MessageId is null)
        {
            return new MessageIdentity(key, true);
        }

        // Storing failed (past the size limit): not what was imported, which fitted; it fails on its own.
        if (await stored() is not { } attachments)
        {
            return new MessageIdentity(VariantKey(key, message.ContentHash), false);
        }

        var fingerprint = ContentFingerprint(message, attachments);
        // Imported before content was fingerprinted: nothing to compare, so the old rule (a dedupe hit) holds.
        if (found.Text(ImportService.ContentHashProperty) is not { Length: > 0 } earlier || earlier == fingerprint)
        {
            return new MessageIdentity(key, true, Fingerprint: fingerprint);
        }

        var variant = VariantKey(key, fingerprint);
        if (await FindImportedAsync(session, runtime, variant, cancellationToken) is not null)
        {
            return new MessageIdentity(variant, true, Fingerprint: fingerprint);
        }

        return new MessageIdentity(variant, false,
            $"The Message-ID {message.MessageId} from {message.From?.Address ?? "this sender"} was imported before with other content; this message was imported as one of its own.",
            fingerprint);
    }

    /// <summary>The content as a hash: the normalized bodies and each attachment's bytes, in order.</summary>
    internal static string ContentFingerprint(IncomingMessage message, IEnumerable<StoredAttachment> attachments)
    {
        var text = new StringBuilder(message.BodyHash);
        foreach (var attachment in attachments)
        {
            text.Append('|').Append(attachment.Sha256);
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string VariantKey(string key, string content) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{key}|content:{content}"))).ToLowerInvariant();

    /// <summary>The message imported under this key, with only its content fingerprint read (its row holds its whole HTML).</summary>
    private static async Task<LimeObject?> FindImportedAsync(ObjectSession session, RuntimeConfiguration runtime, string uniqueId, CancellationToken cancellationToken)
    {
        var limetype = runtime.ConversationMessage.Limetype;
        string[] fingerprint = session.Schema.Get(limetype).Find(ImportService.ContentHashProperty) is null ? [] : [ImportService.ContentHashProperty];
        return await session.FindAsync(limetype, runtime.ConversationMessage.PropertyUniqueId, uniqueId, 1, fingerprint, cancellationToken)
            is { Count: > 0 } found ? found[0] : null;
    }
}
