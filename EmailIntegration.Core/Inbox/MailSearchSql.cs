namespace EmailIntegration.Core.Inbox;

/// <summary>
/// The full-text index of messages in SQLite's FTS5, its provider-specific SQL in one place (a
/// PostgreSQL dialect would map the same calls to a tsvector column). One row per conversation
/// message, its rowid the message's id. The table is contentless: it keeps the index, not a second
/// copy of every body, and only the message's conversation id beside it, so a match leads to the
/// conversations without reading the (large) message rows. The <c>InboxSearch</c> migration creates
/// it (<c>unicode61 remove_diacritics 2</c>: "cafe" finds "café").
/// </summary>
internal static class MailSearchSql
{
    public const string Table = "mail_search";

    public const string Insert =
        "INSERT INTO \"mail_search\" (rowid, conversation, subject, body, sender, files) VALUES (@id, @conversation, @subject, @body, @sender, @files)";

    /// <summary>The ids of the conversations with a message whose text matches the expression in the parameter.</summary>
    public static string MatchingConversations(string parameter) =>
        $"SELECT \"conversation\" FROM \"mail_search\" WHERE \"mail_search\" MATCH {parameter}";
}
