using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
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
                filter: "\"Paid\"::double precision < \"Amount\"::double precision");
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
