using System.Diagnostics;
using System.Text;
using EmailIntegration.Core.Crm.Objects;
using EmailIntegration.Core.Import;
using EmailIntegration.Core.Mail;
using EmailIntegration.Core.Storage;
using MimeKit;

namespace EmailIntegration.Tests.Core.Import;

/// <summary>A message whose header would take MimeKit minutes is refused unparsed, and the pass goes on.</summary>
public sealed class HeaderLimitTests : ImportTestBase
{
    /// <summary>"X-Folded:" folded over <paramref name="lines"/> lines of about 100 bytes: 10 MB at 100,000.</summary>
    private static byte[] FoldedValue(int lines)
    {
        var builder = new StringBuilder(lines * 102);
        builder.Append(" start\r\n");
        for (var i = 0; i < lines; i++)
        {
            builder.Append(' ').Append(i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture)).Append(' ', 90).Append("x\r\n");
        }

        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private static MimeMessage HugeHeaderMessage()
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Flood", "flood@customer.test"));
        message.Subject = "Huge header";
        message.MessageId = "huge@customer.test";
        var folded = new Header("X-Folded", "x");
        // Note: the raw value is written as it is, so neither this test nor MailKit's append parses it.
        folded.SetRawValue(FoldedValue(100_000));
        message.Headers.Add(folded);
        message.Body = new TextPart("plain") { Text = "The body." };
        return message;
    }

    [Fact]
    public async Task A_message_with_a_10_MB_folded_header_is_failed_with_its_reason_at_once_and_the_next_message_imports()
    {
        var huge = HugeHeaderMessage();
        await Mailbox.AppendAsync(huge);
        await Mailbox.AppendAsync(Raw("From: next@customer.test\r\nSubject: Next one\r\nMessage-ID: <next@customer.test>", "Fine"));

        var watch = Stopwatch.StartNew();
        var run = await ImportAsync();
        watch.Stop();

        Assert.Null(run.Error);
        Assert.Equal(1, run.Imported);
        Assert.Equal(1, run.Failed);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the pass took {watch.Elapsed}");
        Assert.Equal("Next one", Assert.Single(await QueryAsync("helpdesk"))["subject"]);
        Assert.Equal(["Huge header"], await Mailbox.SubjectsInAsync("Import failed"));
        var error = Assert.Single(await QueryAsync("importerror"));
        var reason = (string)error["reason"]!;
        Assert.StartsWith("The message's header is 9.", reason, StringComparison.Ordinal);
        Assert.Contains("MB (the limit is 256 KB)", reason, StringComparison.Ordinal);
        Assert.Equal("Huge header", error["subject"]);
        Assert.Equal("failed", error["status"]);

        // The raw .eml keeps the whole header.
        await using (var raw = await Host.Get<IFileStore>().OpenAsync((string)error["rawmessage"]!, CancellationToken.None))
        {
            Assert.True(raw!.Length > 10_000_000, $"the raw message is {raw.Length} bytes");
        }

        // Retry reads the raw bytes again and is refused again, with the same reason.
        var id = Convert.ToInt64(error[EmailIntegration.Core.Crm.Schema.CrmSchema.IdKey], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ImportOutcome.Failed, await Host.Get<ImportService>().RetryFailedAsync(id));
        Assert.Contains("(the limit is 256 KB)", (await GetAsync("importerror", id)).Text("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_reader_refuses_a_10_MB_folded_header_in_well_under_a_second()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.eml");
        await using (var file = File.Create(path))
        {
            await HugeHeaderMessage().WriteToAsync(file);
        }

        var watch = Stopwatch.StartNew();
        await using var message = await MessageReader.ReadAsync(path, new MailboxMessageRef(1, 1, DateTimeOffset.UtcNow, new FileInfo(path).Length), CancellationToken.None);
        watch.Stop();

        Assert.NotNull(message.Refusal);
        Assert.Equal("Huge header", message.Subject);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"reading took {watch.Elapsed}");
        Console.WriteLine($"10 MB folded header refused in {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_header_folded_over_more_lines_than_the_limit_is_refused_even_when_small()
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.eml");
        var lines = string.Concat(Enumerable.Repeat(" a\r\n", HeaderBounds.MaxFoldedLines + 1));
        await File.WriteAllTextAsync(path, $"From: x@customer.test\r\nSubject: Many\r\nX-Folded: start\r\n{lines}\r\nBody\r\n");

        await using var message = await MessageReader.ReadAsync(path, new MailboxMessageRef(1, 1, DateTimeOffset.UtcNow, new FileInfo(path).Length), CancellationToken.None);

        Assert.StartsWith($"The message's header is folded over {HeaderBounds.MaxFoldedLines + 1:N0} lines (the limit is {HeaderBounds.MaxFoldedLines:N0})",
            message.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_header_at_the_limits_is_parsed_quickly()
    {
        // Just under both limits, folded as densely as they allow: MimeKit's cost stays small.
        var path = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.eml");
        var line = " " + new string('y', (HeaderBounds.MaxBytes - 200) / HeaderBounds.MaxFoldedLines - 3) + "\r\n";
        await File.WriteAllTextAsync(path, $"From: x@customer.test\r\nSubject: Dense\r\nX-Folded: start\r\n{string.Concat(Enumerable.Repeat(line, HeaderBounds.MaxFoldedLines))}\r\nBody\r\n");

        // Once to warm up the parser's code, then timed.
        await (await MessageReader.ReadAsync(path, new MailboxMessageRef(1, 1, DateTimeOffset.UtcNow, new FileInfo(path).Length), CancellationToken.None)).DisposeAsync();
        await File.WriteAllTextAsync(path, $"From: x@customer.test\r\nSubject: Dense\r\nX-Folded: start\r\n{string.Concat(Enumerable.Repeat(line, HeaderBounds.MaxFoldedLines))}\r\nBody\r\n");
        var watch = Stopwatch.StartNew();
        await using var message = await MessageReader.ReadAsync(path, new MailboxMessageRef(1, 1, DateTimeOffset.UtcNow, new FileInfo(path).Length), CancellationToken.None);
        watch.Stop();

        Assert.Null(message.Refusal);
        Assert.Equal("Dense", message.Subject);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"parsing took {watch.Elapsed}");
        Console.WriteLine($"header at the limits parsed in {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task A_5000_character_subject_is_stored_trimmed_and_the_raw_message_keeps_it_whole()
    {
        var subject = string.Concat(Enumerable.Repeat("Subject words ", 400))[..5000];
        await Mailbox.AppendAsync(Raw($"From: long@customer.test\r\nSubject: {subject}\r\nMessage-ID: <long@customer.test>", "Body"));

        var run = await ImportAsync();

        Assert.Equal(1, run.Imported);
        var ticket = (string)Assert.Single(await QueryAsync("helpdesk"))["subject"]!;
        Assert.Equal(IncomingMessage.MaxSubjectLength, ticket.Length);
        Assert.EndsWith("…", ticket, StringComparison.Ordinal);
        Assert.StartsWith(subject[..997], ticket, StringComparison.Ordinal);
        var conversation = (string)Assert.Single(await QueryAsync("conversation"))["subject"]!;
        Assert.Equal(ticket, conversation);
    }
}
