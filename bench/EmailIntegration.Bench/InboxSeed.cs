using System.Globalization;
using EmailIntegration.Core.Inbox;
using EmailIntegration.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace EmailIntegration.Bench;

/// <summary>
/// The inbox scenario's data: N persons, N tickets with one conversation each (every tenth with an
/// unread message) and five messages per conversation, bodies of 40 to 80 words drawn from a
/// vocabulary of 20,000 made-up words by frequency (word r about 1/r as often as the most common),
/// a sender per message (the customer or an agent), every tenth message with an attachment. The
/// messages of a ticket spread over the 30 days after it was opened, so newest activity and newest
/// created are different orders. Rows go straight into the tables; then the product's start-up
/// backfill (the one an upgraded database runs) sets the last activity and fills the search index.
/// </summary>
internal static class InboxSeed
{
    public const int Vocabulary = 20_000;

    private static readonly DateTime Start = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The made-up word of frequency rank r (0 = most common): three consonant-vowel pairs, all distinct.</summary>
    public static string Word(int rank)
    {
        const string consonants = "bcdfghjklmnprstvwxyz";
        const string vowels = "aeiou";
        Span<char> word = stackalloc char[6];
        for (var i = 2; i >= 0; i--)
        {
            var pair = rank % 100;
            rank /= 100;
            word[i * 2] = consonants[pair / 5];
            word[i * 2 + 1] = vowels[pair % 5];
        }

        return new string(word);
    }

    public static string PersonAddress(int person) => $"person{person}@example.test";

    /// <summary>The name of attachment i (0-based; one per ten messages).</summary>
    public static string FileName(int attachment) => $"{Word(attachment * 7919 % Vocabulary)}-{attachment}.pdf";

    public static async Task<TimeSpan> SeedAsync(ServiceProvider provider, int size)
    {
        await using (var db = await provider.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            await db.Database.OpenConnectionAsync();
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
            await InsertRowsAsync(connection, transaction, size);
            await using var pending = connection.CreateCommand();
            pending.Transaction = transaction;
            pending.CommandText = $"INSERT INTO \"PendingBackfills\" (\"Name\") VALUES ('{InboxBackfill.Name}')";
            await pending.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await provider.GetRequiredService<InboxBackfill>().RunIfPendingAsync();
        return watch.Elapsed;
    }

    private static async Task InsertRowsAsync(SqliteConnection connection, SqliteTransaction transaction, int size)
    {
        var random = new Random(42);
        var cumulative = new double[Vocabulary];
        var total = 0.0;
        for (var r = 0; r < Vocabulary; r++)
        {
            cumulative[r] = total += 1.0 / (r + 1);
        }

        string Text(int words)
        {
            var chosen = new string[words];
            for (var i = 0; i < words; i++)
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
                chosen[i] = Word(index < 0 ? ~index : index);
            }

            return string.Join(' ', chosen);
        }

        string Time(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

        await QueryScenario.InsertAsync(connection, transaction, size,
            "INSERT INTO lt_person (id, _created, _updated, name, email) VALUES ($id, $t, $t, $name, $email)",
            (c, i) => QueryScenario.Set(c, ("$id", i + 1), ("$t", Time(Start.AddMinutes(i))), ("$name", $"Person {i}"), ("$email", PersonAddress(i))));
        var subjects = new string[size];
        await QueryScenario.InsertAsync(connection, transaction, size,
            "INSERT INTO lt_helpdesk (id, _created, _updated, subject, status, source, person_id) VALUES ($id, $t, $t, $s, $st, 'email', $p)",
            (c, i) => QueryScenario.Set(c, ("$id", i + 1), ("$t", Time(Start.AddMinutes(i))), ("$s", subjects[i] = $"{Text(4)} {i}"),
                ("$st", QueryScenario.Status(i)), ("$p", i + 1)));
        await QueryScenario.InsertAsync(connection, transaction, size,
            "INSERT INTO lt_conversation (id, _created, _updated, subject, threadid, source, helpdesk_id, earliestunread) VALUES ($id, $t, $t, $s, $th, 'email', $h, $u)",
            (c, i) => QueryScenario.Set(c, ("$id", i + 1), ("$t", Time(Start.AddMinutes(i))), ("$s", subjects[i]), ("$th", $"<thread{i}@example.test>"),
                ("$h", i + 1), ("$u", i % 10 == 0 ? Time(Start.AddMinutes(i + 1)) : null)));
        await QueryScenario.InsertAsync(connection, transaction, size * 5,
            "INSERT INTO lt_conversationmessage (id, _created, _updated, subject, message, fromname, fromaddress, emailid, uniqueid, date, incoming, isread, conversation_id) " +
            "VALUES ($id, $t, $t, $s, $m, $fn, $fa, $e, $u, $t, $in, $r, $c)",
            (c, i) =>
            {
                var ticket = i / 5;
                var incoming = i % 5 is 0 or 2 or 4;
                QueryScenario.Set(c, ("$id", i + 1), ("$t", Time(Start.AddMinutes(ticket + random.Next(30 * 24 * 60)))), ("$s", (i % 5 == 0 ? "" : "Re: ") + subjects[ticket]),
                    ("$m", $"<p>{Text(40 + random.Next(41))}</p>"),
                    ("$fn", incoming ? $"Person {ticket}" : "Support"), ("$fa", incoming ? PersonAddress(ticket) : "support@example.test"),
                    ("$e", $"<m{i}@example.test>"), ("$u", $"account:{i}"), ("$in", incoming ? 1 : 0),
                    ("$r", ticket % 10 == 0 && i % 5 == 4 ? 0 : 1), ("$c", ticket + 1));
            });
        await QueryScenario.InsertAsync(connection, transaction, size / 2,
            "INSERT INTO lt_document (id, _created, _updated, comment, type, conversationmessage_id, helpdesk_id) VALUES ($id, $t, $t, $n, 'other', $m, $h)",
            (c, i) => QueryScenario.Set(c, ("$id", i + 1), ("$t", Time(Start.AddMinutes(i * 2))), ("$n", FileName(i)),
                ("$m", i * 10 + 1), ("$h", i * 10 / 5 + 1)));
    }
}
