using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class OpenFollowUpsLeaveOutDeleted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities",
                columns: new[] { "FollowUpAssigneeId", "FollowUpOn" },
                filter: "\"FollowUpDoneAt\" IS NULL AND \"FollowUpAssigneeId\" IS NOT NULL AND NOT \"IsDeleted\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_OpenFollowUps",
                table: "Activities",
                columns: new[] { "FollowUpAssigneeId", "FollowUpOn" },
                filter: "\"FollowUpDoneAt\" IS NULL AND \"FollowUpAssigneeId\" IS NOT NULL");
        }
    }
}
