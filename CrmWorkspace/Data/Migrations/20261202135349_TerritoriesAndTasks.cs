using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class TerritoriesAndTasks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AssignedTasks",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AssigneeId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AssignedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DueOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RemindOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    RemindedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    DoneAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignedTasks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignedTasks_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Territories",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Province = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    City = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    OwnerId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Territories", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignedTasks_AccountId",
                table: "AssignedTasks",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_AssignedTasks_AssigneeId_DoneAt_DueOn",
                table: "AssignedTasks",
                columns: new[] { "AssigneeId", "DoneAt", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignedTasks_DoneAt_RemindOn",
                table: "AssignedTasks",
                columns: new[] { "DoneAt", "RemindOn" });

            migrationBuilder.CreateIndex(
                name: "IX_AssignedTasks_TeamId_DoneAt_DueOn",
                table: "AssignedTasks",
                columns: new[] { "TeamId", "DoneAt", "DueOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Territories_Province_City",
                table: "Territories",
                columns: new[] { "Province", "City" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AssignedTasks");

            migrationBuilder.DropTable(
                name: "Territories");
        }
    }
}
