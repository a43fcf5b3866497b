using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class Timeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ActivityRevisions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Body = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    FollowUpOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    FollowUpAssigneeId = table.Column<string>(type: "TEXT", nullable: true),
                    ReplacedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReplacedBy = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ActivityRevisions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ActivityRevisions_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "TeamTouches",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: false),
                    LastActivityId = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastAuthorId = table.Column<string>(type: "TEXT", nullable: true),
                    LastSubject = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    LastKind = table.Column<int>(type: "INTEGER", nullable: true),
                    OpenFollowUps = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TeamTouches", x => new { x.AccountId, x.TeamId });
                    table.ForeignKey(
                        name: "FK_TeamTouches_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_TeamTouches_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_AccountId_TeamId_OccurredAt",
                table: "Activities",
                columns: new[] { "AccountId", "TeamId", "OccurredAt" });

            migrationBuilder.CreateIndex(
                name: "IX_ActivityRevisions_ActivityId_ReplacedAt",
                table: "ActivityRevisions",
                columns: new[] { "ActivityId", "ReplacedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_TeamTouches_TeamId",
                table: "TeamTouches",
                column: "TeamId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ActivityRevisions");

            migrationBuilder.DropTable(
                name: "TeamTouches");

            migrationBuilder.DropIndex(
                name: "IX_Activities_AccountId_TeamId_OccurredAt",
                table: "Activities");
        }
    }
}
