using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations
{
    /// <inheritdoc />
    public partial class AdvertisingSpeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AdInstalments_Open_DueOn",
                table: "AdInstalments",
                columns: new[] { "DueOn", "ContractId" },
                filter: "CAST(\"Paid\" AS REAL) < CAST(\"Amount\" AS REAL)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AdInstalments_Open_DueOn",
                table: "AdInstalments");
        }
    }
}
