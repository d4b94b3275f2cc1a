using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmailIntegration.Core.Persistence.Migrations
{
    /// <summary>
    /// The full-text index of messages ("Search all mail"), and the note that the messages already
    /// stored must be indexed and their last activity set: the start-up step does that once the
    /// limetype tables exist (<c>InboxBackfill</c>), and removes the note in the same transaction.
    /// </summary>
    public partial class InboxSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "CREATE VIRTUAL TABLE IF NOT EXISTS \"mail_search\" USING fts5(conversation UNINDEXED, subject, body, sender, files, " +
                "content='', contentless_delete=1, contentless_unindexed=1, tokenize='unicode61 remove_diacritics 2');");
            migrationBuilder.Sql("CREATE TABLE \"PendingBackfills\" (\"Name\" TEXT NOT NULL CONSTRAINT \"PK_PendingBackfills\" PRIMARY KEY);");
            migrationBuilder.Sql("INSERT INTO \"PendingBackfills\" (\"Name\") VALUES ('inbox');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"PendingBackfills\";");
            migrationBuilder.Sql("DROP TABLE IF EXISTS \"mail_search\";");
        }
    }
}
