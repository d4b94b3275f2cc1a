using System.Security.Cryptography;
using System.Text;
using EmailIntegration.Core.Accounts;
using EmailIntegration.Core.Settings;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Hosting;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Notifications;
using EmailIntegration.Core.OAuth;
using EmailIntegration.Core.Persistence;
using EmailIntegration.Core.Security;
using EmailIntegration.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EmailIntegration.Core.Import;

/// <summary>Attachments to the file store within attachment_max_size_mb, and the reasons a message fails.</summary>
public sealed partial class ImportService
{
    /// <summary>Writes the attachments to the file store, stopping at attachment_max_size_mb in total.</summary>
    private async Task StoreAttachmentsAsync(IncomingMessage message, ApplicationConfiguration application, List<StoredAttachment> stored, CancellationToken cancellationToken)
    {
        var limit = application.AttachmentMaxSizeMb * 1024L * 1024L;
        long total = 0;
        foreach (var attachment in message.Attachments)
        {
            long length = 0;
            var hash = "";
            var key = await files.SaveAsync(attachment.FileName, async (destination, ct) =>
            {
                await using var counting = new CountingStream(destination, limit - total);
                await attachment.WriteToAsync(counting, ct);
                length = counting.Written;
                hash = counting.Hash();
            }, cancellationToken);
            stored.Add(new StoredAttachment(attachment, key, length, hash));
            total += length;
        }
    }

    private static string Reason(Exception ex, ApplicationConfiguration application) => ex switch
    {
        AttachmentLimitException => $"The attachments exceed {application.AttachmentMaxSizeMb} MB (attachment_max_size_mb); the message was not imported.",
        MessageRefusedException => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };

    /// <summary>A message the reader refused unparsed (its header past the limits) fails like any other, with the reader's reason.</summary>
    private static void ThrowIfRefused(IncomingMessage message)
    {
        if (message.Refusal is { } refusal)
        {
            throw new MessageRefusedException(refusal);
        }
    }

    private sealed class MessageRefusedException(string reason) : Exception(reason);
    /// <summary>Counts and hashes bytes on their way to the store and stops at the attachment limit.</summary>
    private sealed class CountingStream(Stream inner, long remaining) : Stream
    {
        private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Written { get; private set; }

        public string Hash() => Convert.ToHexString(sha256.GetHashAndReset());

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                sha256.Dispose();
            }

            base.Dispose(disposing);
        }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Written;

        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Length);
            sha256.AppendData(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private void Count(int length)
        {
            Written += length;
            if (Written > remaining)
            {
                throw new AttachmentLimitException();
            }
        }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed class AttachmentLimitException : Exception;
}
