using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using MailKit;
using MailKit.Search;
using Microsoft.Data.Sqlite;
using MimeKit;

namespace EmailIntegration.Bench;

/// <summary>
/// The product's records written by hand, as the fastest plain importer would write them: the pipelined
/// ceiling's fetch and parse on one side, and on another thread, for each message, the rows the product
/// writes for it, as prepared statements on one connection in transactions of 100 messages, into a product
/// database of its own (the same tables, indexes and search index; WAL, synchronous FULL and temporary
/// data in memory, as the product). Per message: the dedupe lookup; the thread lookup; a new thread's ticket and conversation, or
/// the conversation's update; the message with its body; a follower per new participant (after a person
/// lookup) and a message follower per participant; the search index; last activity on the conversation
/// and the ticket; the import log entry and the notification event; an attachment's file and document.
/// What it leaves out: a savepoint per message (the product's way to roll a failing message back alone),
/// validation, and the configuration's indirection (limetype and property names).
/// </summary>
internal static class BareImport
{
    private const int Batch = 100;

    private sealed record Parsed(
        string? MessageId, IReadOnlyList<string> Thread, string Subject, MailboxAddress? From, IReadOnlyList<MailboxAddress> Participants,
        DateTime Date, string Body, string Text, string? FileName, byte[]? File);

    public static async Task<double> RunAsync(string mailbox, int count, int chunk, string databasePath, string filesPath)
    {
        Directory.CreateDirectory(filesPath);
        var parsed = Channel.CreateBounded<Parsed>(new BoundedChannelOptions(256) { SingleReader = true, SingleWriter = true });
        using var imap = await MailBench.OpenTlsAsync(mailbox);
        await imap.Inbox.OpenAsync(FolderAccess.ReadOnly);
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA temp_store = MEMORY;";
            await pragma.ExecuteNonQueryAsync();
        }

        var writer = new Writer(connection, filesPath, mailbox);

        var watch = Stopwatch.StartNew();
        var writing = Task.Run(() => writer.WriteAllAsync(parsed.Reader));
        var uids = await imap.Inbox.SearchAsync(SearchQuery.NotSeen);
        foreach (var part in uids.Chunk(chunk))
        {
            await ((MailKit.Net.Imap.ImapFolder)imap.Inbox).GetStreamsAsync(part, async (_, _, _, stream, token) =>
            {
                using var message = await MimeMessage.LoadAsync(stream, token);
                await parsed.Writer.WriteAsync(Parse(message), token);
            });
        }

        parsed.Writer.Complete();
        var written = await writing;
        watch.Stop();
        if (written != count)
        {
            throw new InvalidOperationException($"the bare importer wrote {written} of {count}");
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private static Parsed Parse(MimeMessage message)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        var participants = new List<MailboxAddress>();
        if (from is not null)
        {
            participants.Add(from);
        }

        participants.AddRange(message.Cc.Mailboxes);
        var thread = message.InReplyTo is { } replyTo ? new List<string> { replyTo } : [];
        thread.AddRange(message.References.Reverse());
        var attachment = message.Attachments.OfType<MimePart>().FirstOrDefault();
        byte[]? file = null;
        if (attachment is not null)
        {
            using var bytes = new MemoryStream();
            attachment.Content?.DecodeTo(bytes);
            file = bytes.ToArray();
        }

        var text = message.TextBody ?? "";
        return new Parsed(message.MessageId, thread, message.Subject ?? "", from, participants, message.Date.UtcDateTime,
            message.HtmlBody ?? $"<div style=\"white-space: pre-wrap\">{System.Net.WebUtility.HtmlEncode(text)}</div>", text, attachment?.FileName, file);
    }

    private sealed class Writer(SqliteConnection connection, string filesPath, string mailbox)
    {
        private readonly Dictionary<string, SqliteCommand> commands = [];
        private readonly Dictionary<string, long?> persons = new(StringComparer.OrdinalIgnoreCase);
        private readonly string accountId = Guid.NewGuid().ToString();

        public async Task<int> WriteAllAsync(ChannelReader<Parsed> messages)
        {
            var written = 0;
            var transaction = connection.BeginTransaction();
            await foreach (var message in messages.ReadAllAsync())
            {
                Write(transaction, message);
                if (++written % Batch == 0)
                {
                    transaction.Commit();
                    transaction.Dispose();
                    persons.Clear();
                    transaction = connection.BeginTransaction();
                }
            }

            transaction.Commit();
            transaction.Dispose();
            foreach (var command in commands.Values)
            {
                command.Dispose();
            }

            return written;
        }

        private void Write(SqliteTransaction transaction, Parsed m)
        {
            var now = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            var date = m.Date.ToString("yyyy-MM-dd HH:mm:ss.fffffff", CultureInfo.InvariantCulture);
            var key = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{accountId}|{m.MessageId}|{m.From?.Address}")));
            if (Scalar(transaction, "SELECT id FROM lt_conversationmessage WHERE uniqueid = $u LIMIT 1", ("$u", key)) is not null)
            {
                return;
            }

            long? conversation = null;
            foreach (var id in m.Thread)
            {
                if (Scalar(transaction, "SELECT conversation_id FROM lt_conversationmessage WHERE emailid = $e LIMIT 1", ("$e", id)) is long found)
                {
                    conversation = found;
                    break;
                }
            }

            var isNew = conversation is null;
            long ticket;
            if (conversation is { } existing)
            {
                ticket = (long)Scalar(transaction, "SELECT helpdesk_id FROM lt_conversation WHERE id = $c", ("$c", existing))!;
                Execute(transaction, "UPDATE lt_conversation SET replytoid = $r, earliestunread = MIN(COALESCE(earliestunread, $d), $d), _updated = $n WHERE id = $c",
                    ("$r", m.MessageId), ("$d", date), ("$n", now), ("$c", existing));
            }
            else
            {
                ticket = (long)Scalar(transaction, "INSERT INTO lt_helpdesk (_created, _updated, _updatedby, subject, email, source, person_id) VALUES ($n, $n, 'bare', $s, $e, 'email', $p) RETURNING id",
                    ("$n", now), ("$s", m.Subject), ("$e", m.From?.Address), ("$p", Person(transaction, m.From?.Address)))!;
                conversation = (long)Scalar(transaction,
                    "INSERT INTO lt_conversation (_created, _updated, _updatedby, subject, threadid, replytoid, earliestunread, email, firstmessagedate, source, helpdesk_id) " +
                    "VALUES ($n, $n, 'bare', $s, $t, $t, $d, $a, $d, 'email', $h) RETURNING id",
                    ("$n", now), ("$s", m.Subject), ("$t", m.MessageId), ("$d", date), ("$a", mailbox), ("$h", ticket))!;
            }

            var messageId = (long)Scalar(transaction,
                "INSERT INTO lt_conversationmessage (_created, _updated, _updatedby, subject, message, fromaddress, fromname, date, emailid, uniqueid, source, incoming, contenthash, conversation_id) " +
                "VALUES ($n, $n, 'bare', $s, $b, $f, $fn, $d, $e, $u, 'email', 1, $u, $c) RETURNING id",
                ("$n", now), ("$s", m.Subject), ("$b", m.Body), ("$f", m.From?.Address), ("$fn", m.From?.Name), ("$d", date), ("$e", m.MessageId), ("$u", key), ("$c", conversation))!;

            var followers = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            if (!isNew)
            {
                using var reader = Command(transaction, "SELECT id, email FROM lt_follower WHERE conversation_id = $c", ("$c", conversation)).ExecuteReader();
                while (reader.Read())
                {
                    followers.TryAdd(reader.GetString(1), reader.GetInt64(0));
                }
            }

            foreach (var participant in m.Participants)
            {
                if (!followers.TryGetValue(participant.Address, out var follower))
                {
                    follower = (long)Scalar(transaction,
                        "INSERT INTO lt_follower (_created, _updated, _updatedby, name, email, participationlevel, active, subscribed, conversation_id, conversationmessage_id, person_id) " +
                        "VALUES ($n, $n, 'bare', $na, $e, 'from', 1, 1, $c, $m, $p) RETURNING id",
                        ("$n", now), ("$na", participant.Name ?? participant.Address), ("$e", participant.Address), ("$c", conversation), ("$m", messageId), ("$p", Person(transaction, participant.Address)))!;
                    followers[participant.Address] = follower;
                }

                Execute(transaction, "INSERT INTO lt_messagefollower (_created, _updated, _updatedby, participationlevel, follower_id, conversationmessage_id) VALUES ($n, $n, 'bare', 'from', $f, $m)",
                    ("$n", now), ("$f", follower), ("$m", messageId));
            }

            if (m.File is { } bytes)
            {
                var name = Guid.NewGuid().ToString("N");
                File.WriteAllBytes(Path.Combine(filesPath, name), bytes);
                Execute(transaction, "INSERT INTO lt_document (_created, _updated, _updatedby, comment, type, document, conversationmessage_id, helpdesk_id) VALUES ($n, $n, 'bare', $c, 'file', $d, $m, $h)",
                    ("$n", now), ("$c", m.FileName), ("$d", name), ("$m", messageId), ("$h", ticket));
            }

            Execute(transaction, "INSERT INTO mail_search (rowid, conversation, subject, body, sender, files) VALUES ($m, $c, $s, $b, $f, $fi)",
                ("$m", messageId), ("$c", conversation), ("$s", m.Subject), ("$b", m.Text), ("$f", m.From?.Address), ("$fi", m.FileName ?? ""));
            Execute(transaction, "UPDATE lt_conversation SET lastactivity = $d WHERE id = $c AND (lastactivity IS NULL OR lastactivity < $d)", ("$d", date), ("$c", conversation));
            Execute(transaction, "UPDATE lt_helpdesk SET lastactivity = $d WHERE id = $h AND (lastactivity IS NULL OR lastactivity < $d)", ("$d", date), ("$h", ticket));
            Execute(transaction, "INSERT INTO ImportLog (AccountId, Utc, Outcome, Subject, FromAddress, MessageId, ConversationId, MessageRecordId) VALUES ($a, $n, 'Imported', $s, $f, $e, $c, $m)",
                ("$a", accountId), ("$n", now), ("$s", m.Subject), ("$f", m.From?.Address), ("$e", m.MessageId), ("$c", conversation), ("$m", messageId));
            Execute(transaction, "INSERT INTO NotificationEvents (AccountId, Kind, ConversationId, MessageRecordId, AuthorAddress, AuthorName, CreatedUtc, Attempts) VALUES ($a, 'Incoming', $c, $m, $f, $fn, $n, 0)",
                ("$a", accountId), ("$c", conversation), ("$m", messageId), ("$f", m.From?.Address), ("$fn", m.From?.Name), ("$n", now));
        }

        /// <summary>The person with this address (and the coworker, as the product looks for both), looked up once per transaction as the product does.</summary>
        private long? Person(SqliteTransaction transaction, string? address)
        {
            if (address is null)
            {
                return null;
            }

            if (!persons.TryGetValue(address, out var id))
            {
                id = Scalar(transaction, "SELECT id FROM lt_person WHERE email = $e ORDER BY _updated DESC LIMIT 1", ("$e", address)) as long?;
                Scalar(transaction, "SELECT id FROM lt_coworker WHERE email = $e ORDER BY _updated DESC LIMIT 1", ("$e", address));
                persons[address] = id;
            }

            return id;
        }

        private object? Scalar(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
            Command(transaction, sql, parameters).ExecuteScalar();

        private void Execute(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters) =>
            Command(transaction, sql, parameters).ExecuteNonQuery();

        /// <summary>One prepared command per statement, bound again for each use.</summary>
        private SqliteCommand Command(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
        {
            if (!commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.CommandText = sql;
                foreach (var (name, _) in parameters)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = name });
                }

                commands[sql] = command;
            }

            command.Transaction = transaction;
            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }

            return command;
        }
    }
}
