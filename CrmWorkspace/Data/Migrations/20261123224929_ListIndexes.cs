using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Province_Tier_Name",
                table: "Accounts",
                columns: new[] { "Province", "Tier", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Tier_Name",
                table: "Accounts",
                columns: new[] { "Tier", "Name" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Accounts_Province_Tier_Name",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Tier_Name",
                table: "Accounts");
        }
    }
}
