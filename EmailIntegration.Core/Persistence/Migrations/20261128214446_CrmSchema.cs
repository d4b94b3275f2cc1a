using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace EmailIntegration.Core.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CrmSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CrmLimetypes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmLimetypes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CrmProperties",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LimetypeId = table.Column<int>(type: "INTEGER", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 63, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Required = table.Column<bool>(type: "INTEGER", nullable: false),
                    Indexed = table.Column<bool>(type: "INTEGER", nullable: false),
                    OptionsJson = table.Column<string>(type: "TEXT", nullable: true),
                    RelatedLimetype = table.Column<string>(type: "TEXT", nullable: true),
                    InverseProperty = table.Column<string>(type: "TEXT", nullable: true),
                    SortOrder = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CrmProperties", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CrmProperties_CrmLimetypes_LimetypeId",
                        column: x => x.LimetypeId,
                        principalTable: "CrmLimetypes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CrmLimetypes_Name",
                table: "CrmLimetypes",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CrmProperties_LimetypeId_Name",
                table: "CrmProperties",
                columns: new[] { "LimetypeId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CrmProperties");

            migrationBuilder.DropTable(
                name: "CrmLimetypes");
        }
    }
}
