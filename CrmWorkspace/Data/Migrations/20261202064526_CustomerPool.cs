using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class CustomerPool : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PoolEntries",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    FormerOwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    PooledAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PoolEntries", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_PoolEntries_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PoolEntries_TeamId_PooledAt",
                table: "PoolEntries",
                columns: new[] { "TeamId", "PooledAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PoolEntries");
        }
    }
}
