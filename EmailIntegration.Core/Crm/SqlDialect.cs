using System.Globalization;
using EmailIntegration.Core.Crm.Schema;

namespace EmailIntegration.Core.Crm;

/// <summary>
/// The provider-specific SQL of the object store, in one place (SQLite today; a PostgreSQL
/// dialect would map the same calls). Identifiers reaching here were checked by
/// <see cref="CrmSchema.IsValidName"/>, so quoting them is enough.
/// </summary>
internal static class SqlDialect
{
    /// <summary>How text compares and sorts: case-insensitively, as the columns are declared.</summary>
    public const string TextCollation = "COLLATE NOCASE";

    /// <summary>Turns a statement into the question "how would you run this?".</summary>
    public const string ExplainPrefix = "EXPLAIN QUERY PLAN ";

    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static string Quote(string identifier) => "\"" + identifier + "\"";

    public static string CreateTable(string table) =>
        $"CREATE TABLE {Quote(table)} (\"id\" INTEGER PRIMARY KEY AUTOINCREMENT, " +
        "\"_created\" TEXT NOT NULL, \"_updated\" TEXT NOT NULL, \"_updatedby\" TEXT NULL)";

    public static string CreatedIndex(string table) =>
        $"CREATE INDEX {Quote("ix_" + table + "__created")} ON {Quote(table)} (\"_created\")";

    public static string AddColumn(string table, LimeProperty property, string? relatedTable) =>
        $"ALTER TABLE {Quote(table)} ADD COLUMN {Quote(property.Column!)} " + property.Type switch
        {
            // Note: text compares and sorts case-insensitively, so an email lookup can use the index.
            PropertyType.Text or PropertyType.Option or PropertyType.File => "TEXT NULL COLLATE NOCASE",
            PropertyType.Integer => "INTEGER NULL",
            PropertyType.Decimal => "REAL NULL",
            PropertyType.YesNo => "INTEGER NOT NULL DEFAULT 0",
            PropertyType.Time => "TEXT NULL",
            PropertyType.BelongsTo => $"INTEGER NULL REFERENCES {Quote(relatedTable!)} (\"id\") ON DELETE SET NULL",
            _ => throw new CrmException($"A {property.Type} property has no column."),
        };

    /// <summary>"Has a value", in a form the planner can read from an index where it can.</summary>
    // Note: SQLite's planner (built without STAT4) never reads IS NOT NULL from an index. A column
    // of text affinity (text, options, files and times) holds only text once set, and every text
    // sorts at or after '', so ">= ''" selects the very same rows and is an index range.
    public static string NotNull(string sql, PropertyType type) =>
        type is PropertyType.Text or PropertyType.Option or PropertyType.File or PropertyType.Time ? $"{sql} >= ''" : $"{sql} IS NOT NULL";

    public static string IndexName(string table, string column) => $"ix_{table}_{column}";

    public static string CreateIndex(string table, string column) =>
        $"CREATE INDEX IF NOT EXISTS {Quote(IndexName(table, column))} ON {Quote(table)} ({Quote(column)})";

    public static string DropIndex(string table, string column) =>
        $"DROP INDEX IF EXISTS {Quote(IndexName(table, column))}";

    public static string DropColumn(string table, string column) =>
        $"ALTER TABLE {Quote(table)} DROP COLUMN {Quote(column)}";

    public static string FormatTime(DateTime value) =>
        (value.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(value, DateTimeKind.Utc) : value.ToUniversalTime())
            .ToString(TimeFormat, CultureInfo.InvariantCulture);

    public static DateTime ParseTime(string value) =>
        DateTime.ParseExact(value, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
