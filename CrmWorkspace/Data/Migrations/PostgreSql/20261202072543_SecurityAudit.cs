using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace CrmWorkspace.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class SecurityAudit : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Roles per job: Admin becomes Administrator, Member becomes Sales; everyone signs in once again.
            migrationBuilder.Sql("UPDATE \"AspNetRoles\" SET \"Name\" = 'Administrator', \"NormalizedName\" = 'ADMINISTRATOR' WHERE \"NormalizedName\" = 'ADMIN';");
            migrationBuilder.Sql("UPDATE \"AspNetRoles\" SET \"Name\" = 'Sales', \"NormalizedName\" = 'SALES' WHERE \"NormalizedName\" = 'MEMBER';");
            migrationBuilder.Sql("UPDATE \"AspNetUsers\" SET \"SecurityStamp\" = upper(md5(random()::text));");

            migrationBuilder.CreateTable(
                name: "AuditEntries",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    ActorId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    ActorName = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Subject = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true),
                    Detail = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Address = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Rows = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditEntries", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_ActorId_At",
                table: "AuditEntries",
                columns: new[] { "ActorId", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_At",
                table: "AuditEntries",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_AuditEntries_Kind_At",
                table: "AuditEntries",
                columns: new[] { "Kind", "At" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE \"AspNetRoles\" SET \"Name\" = 'Admin', \"NormalizedName\" = 'ADMIN' WHERE \"NormalizedName\" = 'ADMINISTRATOR';");
            migrationBuilder.Sql("UPDATE \"AspNetRoles\" SET \"Name\" = 'Member', \"NormalizedName\" = 'MEMBER' WHERE \"NormalizedName\" = 'SALES';");

            migrationBuilder.DropTable(
                name: "AuditEntries");
        }
    }
}
