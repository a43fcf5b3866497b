using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AdvertisingSites : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdSiteBookings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ContractId = table.Column<int>(type: "integer", nullable: false),
                    QuoteLineId = table.Column<int>(type: "integer", nullable: false),
                    ProductId = table.Column<int>(type: "integer", nullable: false),
                    Medium = table.Column<int>(type: "integer", nullable: false),
                    Site = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    SiteKey = table.Column<string>(type: "character varying(130)", maxLength: 130, nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: false),
                    Live = table.Column<bool>(type: "boolean", nullable: false),
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
                    table.PrimaryKey("PK_AdSiteBookings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdSiteBookings_AdContracts_ContractId",
                        column: x => x.ContractId,
                        principalTable: "AdContracts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "AdSiteUses",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    BookingId = table.Column<int>(type: "integer", nullable: false),
                    SiteKey = table.Column<string>(type: "character varying(130)", maxLength: 130, nullable: false),
                    Unit = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdSiteUses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AdSiteUses_AdSiteBookings_BookingId",
                        column: x => x.BookingId,
                        principalTable: "AdSiteBookings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AdSiteBookings_ContractId",
                table: "AdSiteBookings",
                column: "ContractId");

            migrationBuilder.CreateIndex(
                name: "IX_AdSiteBookings_QuoteLineId",
                table: "AdSiteBookings",
                column: "QuoteLineId");

            migrationBuilder.CreateIndex(
                name: "IX_AdSiteBookings_SiteKey_From",
                table: "AdSiteBookings",
                columns: new[] { "SiteKey", "From" });

            migrationBuilder.CreateIndex(
                name: "IX_AdSiteUses_BookingId",
                table: "AdSiteUses",
                column: "BookingId");

            migrationBuilder.CreateIndex(
                name: "UX_AdSiteUse_SiteUnit",
                table: "AdSiteUses",
                columns: new[] { "SiteKey", "Unit" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AdSiteUses");

            migrationBuilder.DropTable(
                name: "AdSiteBookings");
        }
    }
}
