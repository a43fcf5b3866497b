using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class FollowUpAndKeyCustomerIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_FollowUpAssigneeId_FollowUpDoneAt_FollowUpOn",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities",
                columns: new[] { "FollowUpAssigneeId", "FollowUpOn" },
                filter: "\"FollowUpDoneAt\" IS NULL AND \"FollowUpAssigneeId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_KeyCustomers_Owner",
                table: "Accounts",
                columns: new[] { "OwnerId", "Tier" },
                filter: "\"Tier\" IN (1, 2)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_KeyCustomers_Owner",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_FollowUpAssigneeId_FollowUpDoneAt_FollowUpOn",
                table: "Activities",
                columns: new[] { "FollowUpAssigneeId", "FollowUpDoneAt", "FollowUpOn" });
        }
    }
}
