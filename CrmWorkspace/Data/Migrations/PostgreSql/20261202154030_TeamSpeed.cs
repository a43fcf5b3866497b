using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class TeamSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_TeamId",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_TeamId_OccurredAt",
                table: "Activities",
                columns: new[] { "TeamId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId_Tier",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_TeamId_OccurredAt",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OwnerId_Tier",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_TeamId",
                table: "Activities",
                column: "TeamId");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OwnerId",
                table: "Accounts",
                column: "OwnerId");
        }
    }
}
