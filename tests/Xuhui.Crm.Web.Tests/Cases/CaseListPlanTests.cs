using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Cases;

/// <summary>
/// The pipeline list (GET /api/cases?program=&amp;stage=) pages in stage-since order straight off an index: the query of
/// CasesApi.List, through EXPLAIN QUERY PLAN, sorts nothing (at district scale a stage holds thousands of cases).
/// </summary>
// Reads SQLite's EXPLAIN QUERY PLAN.
[Trait("Provider", "SqliteOnly")]
public sealed class CaseListPlanTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task A_programme_and_stage_page_is_read_in_order_from_the_index()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        await db.Database.OpenConnectionAsync();
        var page = db.Cases.AsNoTracking()
            .Where(c => c.Program == "hnte")
            .Where(c => c.Stage == "certified")
            .OrderBy(c => c.StageSince).ThenBy(c => c.Id).Skip(20).Take(20)
            .Select(c => new { Case = c, FirmName = c.Firm!.Name });
        await using DbCommand command = page.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var plan = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }
        }

        var text = string.Join("\n", plan);
        Assert.Contains(plan, line => line.Contains("IX_Cases_Program_Stage_StageSince", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.True(plan.Count > 0, text);
    }
}
