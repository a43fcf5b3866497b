using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ContractId = table.Column<int>(type: "INTEGER", nullable: false),
                    QuoteLineId = table.Column<int>(type: "INTEGER", nullable: false),
                    ProductId = table.Column<int>(type: "INTEGER", nullable: false),
                    Medium = table.Column<int>(type: "INTEGER", nullable: false),
                    Site = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    SiteKey = table.Column<string>(type: "TEXT", maxLength: 130, nullable: false),
                    From = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    To = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Live = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedBy = table.Column<string>(type: "TEXT", nullable: true),
                    IsDeleted = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeletedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
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
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    BookingId = table.Column<int>(type: "INTEGER", nullable: false),
                    SiteKey = table.Column<string>(type: "TEXT", maxLength: 130, nullable: false),
                    Unit = table.Column<DateOnly>(type: "TEXT", nullable: false)
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
