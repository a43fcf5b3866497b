using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyCustomerSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerScores_Score",
                table: "CustomerScores");

            migrationBuilder.AddColumn<int>(
                name: "Tier",
                table: "CustomerScores",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            // The shown tier of the scores already kept: the pinned one, else the computed one.
            migrationBuilder.Sql("UPDATE \"CustomerScores\" SET \"Tier\" = COALESCE(\"PinnedTier\", \"ComputedTier\");");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerScores_Tier_Score",
                table: "CustomerScores",
                columns: new[] { "Tier", "Score" },
                descending: new[] { false, true });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AccountId_Kind_Open",
                table: "Activities",
                columns: new[] { "AccountId", "Kind", "FollowUpDoneAt", "IsDeleted" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_CustomerScores_Tier_Score",
                table: "CustomerScores");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AccountId_Kind_Open",
                table: "Activities");

            migrationBuilder.DropColumn(
                name: "Tier",
                table: "CustomerScores");

            migrationBuilder.CreateIndex(
                name: "IX_CustomerScores_Score",
                table: "CustomerScores",
                column: "Score");
        }
    }
}
