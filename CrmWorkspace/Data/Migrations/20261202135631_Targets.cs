using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class Targets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "SalesTargets",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Holder = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    PersonId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TeamId = table.Column<int>(type: "INTEGER", nullable: true),
                    Measure = table.Column<int>(type: "INTEGER", nullable: false),
                    Period = table.Column<int>(type: "INTEGER", nullable: false),
                    Starts = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 14, scale: 2, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SalesTargets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SalesTargets_AspNetUsers_PersonId",
                        column: x => x.PersonId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_SalesTargets_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Subscriptions_Results",
                table: "Subscriptions",
                columns: new[] { "CreatedAt", "SalespersonId", "CancelledAt", "IsDeleted", "RenewedFromId", "Price", "Paid" });

            migrationBuilder.CreateIndex(
                name: "IX_Bookings_Results",
                table: "Bookings",
                columns: new[] { "CreatedAt", "SalespersonId", "Status", "IsDeleted" });

            migrationBuilder.CreateIndex(
                name: "IX_AdContracts_Results",
                table: "AdContracts",
                columns: new[] { "SignedOn", "SalespersonId", "IsDeleted", "Total" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_Results",
                table: "Activities",
                columns: new[] { "Kind", "OccurredAt", "AuthorId", "IsDeleted" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_Results",
                table: "Accounts",
                columns: new[] { "CreatedAt", "CreatedBy", "MergedIntoId", "IsDeleted" });

            migrationBuilder.CreateIndex(
                name: "IX_SalesTargets_Period_Starts_Measure_Holder",
                table: "SalesTargets",
                columns: new[] { "Period", "Starts", "Measure", "Holder" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SalesTargets_PersonId",
                table: "SalesTargets",
                column: "PersonId");

            migrationBuilder.CreateIndex(
                name: "IX_SalesTargets_TeamId",
                table: "SalesTargets",
                column: "TeamId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SalesTargets");

            migrationBuilder.DropIndex(
                name: "IX_Subscriptions_Results",
                table: "Subscriptions");

            migrationBuilder.DropIndex(
                name: "IX_Bookings_Results",
                table: "Bookings");

            migrationBuilder.DropIndex(
                name: "IX_AdContracts_Results",
                table: "AdContracts");

            migrationBuilder.DropIndex(
                name: "IX_Activities_Results",
                table: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_Results",
                table: "Accounts");
        }
    }
}
