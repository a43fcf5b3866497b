using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class AdvertisingScaleIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AdInsertions_QuoteLineId_Live",
                table: "AdInsertions",
                columns: new[] { "QuoteLineId", "Live" });

            migrationBuilder.CreateIndex(
                name: "IX_AdContracts_SalespersonId",
                table: "AdContracts",
                column: "SalespersonId");

            migrationBuilder.CreateIndex(
                name: "IX_AdContracts_SignedOn",
                table: "AdContracts",
                column: "SignedOn");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AdInsertions_QuoteLineId_Live",
                table: "AdInsertions");

            migrationBuilder.DropIndex(
                name: "IX_AdContracts_SalespersonId",
                table: "AdContracts");

            migrationBuilder.DropIndex(
                name: "IX_AdContracts_SignedOn",
                table: "AdContracts");
        }
    }
}
