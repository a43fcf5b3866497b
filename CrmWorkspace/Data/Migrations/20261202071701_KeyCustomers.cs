using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class KeyCustomers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CustomerScores",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    ComputedTier = table.Column<int>(type: "INTEGER", nullable: false),
                    Breakdown = table.Column<string>(type: "TEXT", nullable: false),
                    ComputedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    PinnedTier = table.Column<int>(type: "INTEGER", nullable: true),
                    PinReason = table.Column<string>(type: "TEXT", maxLength: 300, nullable: true),
                    PinnedBy = table.Column<string>(type: "TEXT", nullable: true),
                    PinnedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CustomerScores", x => x.AccountId);
                    table.ForeignKey(
                        name: "FK_CustomerScores_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProblemClosures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    ActivityId = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProblemClosures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProblemClosures_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScoreDirty",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreDirty", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoreSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    TierA = table.Column<int>(type: "INTEGER", nullable: false),
                    TierB = table.Column<int>(type: "INTEGER", nullable: false),
                    TierC = table.Column<int>(type: "INTEGER", nullable: false),
                    FairMonths = table.Column<int>(type: "INTEGER", nullable: false),
                    PaymentDueDays = table.Column<int>(type: "INTEGER", nullable: false),
                    CareDays = table.Column<int>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoreSnapshots",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "INTEGER", nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Score = table.Column<int>(type: "INTEGER", nullable: false),
                    Tier = table.Column<int>(type: "INTEGER", nullable: false),
                    Breakdown = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreSnapshots", x => new { x.AccountId, x.Month });
                    table.ForeignKey(
                        name: "FK_ScoreSnapshots_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ScoreWeights",
                columns: table => new
                {
                    Input = table.Column<int>(type: "INTEGER", nullable: false),
                    PointsPerUnit = table.Column<decimal>(type: "TEXT", nullable: false),
                    Unit = table.Column<decimal>(type: "TEXT", nullable: false),
                    Cap = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreWeights", x => x.Input);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CustomerScores_Score",
                table: "CustomerScores",
                column: "Score");

            migrationBuilder.CreateIndex(
                name: "IX_ProblemClosures_AccountId",
                table: "ProblemClosures",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_ProblemClosures_Key",
                table: "ProblemClosures",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ScoreDirty_AccountId",
                table: "ScoreDirty",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_ScoreSnapshots_Month",
                table: "ScoreSnapshots",
                column: "Month");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CustomerScores");

            migrationBuilder.DropTable(
                name: "ProblemClosures");

            migrationBuilder.DropTable(
                name: "ScoreDirty");

            migrationBuilder.DropTable(
                name: "ScoreSettings");

            migrationBuilder.DropTable(
                name: "ScoreSnapshots");

            migrationBuilder.DropTable(
                name: "ScoreWeights");
        }
    }
}
