using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Xuhui.Crm.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class CaseListIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Cases_Program_Stage_StageSince",
                table: "Cases",
                columns: new[] { "Program", "Stage", "StageSince" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Cases_Program_Stage_StageSince",
                table: "Cases");
        }
    }
}
