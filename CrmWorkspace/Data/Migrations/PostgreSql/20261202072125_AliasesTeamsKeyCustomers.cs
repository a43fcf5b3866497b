using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AliasesTeamsKeyCustomers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CallLists",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Name = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    FilterText = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    PeriodicalId = table.Column<int>(type: "integer", nullable: true),
                    Split = table.Column<int>(type: "integer", nullable: false),
                    DueOn = table.Column<DateOnly>(type: "date", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true),
                    IsDeleted = table.Column<bool>(type: "boolean", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallLists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CompanyAliases",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Alias = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    Key = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    FullName = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true),
                    IsDeleted = table.Column<bool>(type: "boolean", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CompanyAliases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CustomerScores",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    ComputedTier = table.Column<int>(type: "integer", nullable: false),
                    Breakdown = table.Column<string>(type: "text", nullable: false),
                    ComputedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PinnedTier = table.Column<int>(type: "integer", nullable: true),
                    PinReason = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: true),
                    PinnedBy = table.Column<string>(type: "text", nullable: true),
                    PinnedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
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
                name: "DailySummaries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AuthorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    Day = table.Column<DateOnly>(type: "date", nullable: false),
                    Text = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    Comment = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    CommentedBy = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CommentedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "text", nullable: true),
                    IsDeleted = table.Column<bool>(type: "boolean", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DailySummaries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_DailySummaries_AspNetUsers_AuthorId",
                        column: x => x.AuthorId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_DailySummaries_Teams_TeamId",
                        column: x => x.TeamId,
                        principalTable: "Teams",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "PoolEntries",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    TeamId = table.Column<int>(type: "integer", nullable: true),
                    FormerOwnerId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    PooledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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

            migrationBuilder.CreateTable(
                name: "ProblemClosures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    ActivityId = table.Column<long>(type: "bigint", nullable: false),
                    ClosedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    ClosedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreDirty", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoreSettings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    TierA = table.Column<int>(type: "integer", nullable: false),
                    TierB = table.Column<int>(type: "integer", nullable: false),
                    TierC = table.Column<int>(type: "integer", nullable: false),
                    FairMonths = table.Column<int>(type: "integer", nullable: false),
                    PaymentDueDays = table.Column<int>(type: "integer", nullable: false),
                    CareDays = table.Column<int>(type: "integer", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoreSnapshots",
                columns: table => new
                {
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    Tier = table.Column<int>(type: "integer", nullable: false),
                    Breakdown = table.Column<string>(type: "text", nullable: false)
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
                    Input = table.Column<int>(type: "integer", nullable: false),
                    PointsPerUnit = table.Column<decimal>(type: "numeric", nullable: false),
                    Unit = table.Column<decimal>(type: "numeric", nullable: false),
                    Cap = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreWeights", x => x.Input);
                });

            migrationBuilder.CreateTable(
                name: "CallListItems",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CallListId = table.Column<int>(type: "integer", nullable: false),
                    AccountId = table.Column<int>(type: "integer", nullable: false),
                    AssigneeId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Outcome = table.Column<int>(type: "integer", nullable: true),
                    CalledAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ActivityId = table.Column<long>(type: "bigint", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CallListItems", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CallListItems_Accounts_AccountId",
                        column: x => x.AccountId,
                        principalTable: "Accounts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_CallListItems_CallLists_CallListId",
                        column: x => x.CallListId,
                        principalTable: "CallLists",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_CallListItems_AccountId",
                table: "CallListItems",
                column: "AccountId");

            migrationBuilder.CreateIndex(
                name: "IX_CallListItems_AssigneeId_Outcome",
                table: "CallListItems",
                columns: new[] { "AssigneeId", "Outcome" });

            migrationBuilder.CreateIndex(
                name: "IX_CallListItems_CallListId_AccountId",
                table: "CallListItems",
                columns: new[] { "CallListId", "AccountId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CompanyAliases_Key",
                table: "CompanyAliases",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CustomerScores_Score",
                table: "CustomerScores",
                column: "Score");

            migrationBuilder.CreateIndex(
                name: "IX_DailySummaries_AuthorId_Day",
                table: "DailySummaries",
                columns: new[] { "AuthorId", "Day" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_DailySummaries_TeamId_Day",
                table: "DailySummaries",
                columns: new[] { "TeamId", "Day" });

            migrationBuilder.CreateIndex(
                name: "IX_PoolEntries_TeamId_PooledAt",
                table: "PoolEntries",
                columns: new[] { "TeamId", "PooledAt" });

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
                name: "CallListItems");

            migrationBuilder.DropTable(
                name: "CompanyAliases");

            migrationBuilder.DropTable(
                name: "CustomerScores");

            migrationBuilder.DropTable(
                name: "DailySummaries");

            migrationBuilder.DropTable(
                name: "PoolEntries");

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

            migrationBuilder.DropTable(
                name: "CallLists");
        }
    }
}
