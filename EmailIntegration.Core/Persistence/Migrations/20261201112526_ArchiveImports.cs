using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmailIntegration.Core.Persistence.Migrations
{
    /// <summary>Uploaded archives imported in the background: where each stands, and the messages that failed.</summary>
    public partial class ArchiveImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ArchiveImports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<Guid>(type: "TEXT", nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    StoredPath = table.Column<string>(type: "TEXT", maxLength: 260, nullable: false),
                    FileSize = table.Column<long>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Imported = table.Column<int>(type: "INTEGER", nullable: false),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    Failed = table.Column<int>(type: "INTEGER", nullable: false),
                    Skipped = table.Column<int>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    FinishedUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArchiveImports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ArchiveImportFailures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ArchiveImportId = table.Column<long>(type: "INTEGER", nullable: false),
                    Index = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    ImportErrorId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ArchiveImportFailures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ArchiveImportFailures_ArchiveImports_ArchiveImportId",
                        column: x => x.ArchiveImportId,
                        principalTable: "ArchiveImports",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ArchiveImportFailures_ArchiveImportId_Index",
                table: "ArchiveImportFailures",
                columns: new[] { "ArchiveImportId", "Index" });

            migrationBuilder.CreateIndex(
                name: "IX_ArchiveImports_AccountId_CreatedUtc",
                table: "ArchiveImports",
                columns: new[] { "AccountId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ArchiveImports_State",
                table: "ArchiveImports",
                column: "State");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ArchiveImportFailures");

            migrationBuilder.DropTable(
                name: "ArchiveImports");
        }
    }
}
