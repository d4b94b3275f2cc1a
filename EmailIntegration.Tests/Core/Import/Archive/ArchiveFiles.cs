using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EmailIntegration.Tests.Core.Import.Archive;

/// <summary>Archives as other helpdesks and mail clients export them, written for tests and the benchmark's twin.</summary>
internal static class ArchiveFiles
{
    public static string Message(int i, string prefix = "archive") =>
        $"From: Customer {i} <customer{i}@customer.test>\r\nTo: support@helpdesk.test\r\nSubject: {prefix} message {i}\r\n" +
        $"Message-ID: <{prefix}-{i}@customer.test>\r\nDate: Mon, 30 Nov 2026 10:{i % 60:00}:00 +0000\r\n\r\nMessage number {i}.\r\nFrom the archive.\r\n";

    /// <summary>An mbox (mboxrd) of <paramref name="count"/> messages; a body line starting "From " is quoted as mail clients do.</summary>
    public static void WriteMbox(string path, int count, string prefix = "archive")
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        for (var i = 0; i < count; i++)
        {
            writer.Write($"From customer{i}@customer.test Mon Nov 30 10:00:00 2026\n");
            writer.Write(Message(i, prefix).Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\nFrom the", "\n>From the", StringComparison.Ordinal));
            writer.Write("\n");
        }
    }

    public static void WriteZip(string path, IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = zip.CreateEntry(name).Open();
            stream.Write(content);
        }
    }

    /// <summary>Conversation messages in the database, and how many distinct ones.</summary>
    public static (long Total, long Distinct) Messages(string databasePath)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COUNT(DISTINCT uniqueid) FROM lt_conversationmessage";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
