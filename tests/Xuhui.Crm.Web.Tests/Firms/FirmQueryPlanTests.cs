using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// Each list filter must be answered from an index: the SQL EF generates for the filter is run through
/// EXPLAIN QUERY PLAN on the class's SQLite file, and no plan line may scan the Firms table.
/// </summary>
// Reads SQLite's EXPLAIN QUERY PLAN.
[Trait("Provider", "SqliteOnly")]
public sealed class FirmQueryPlanTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    public static TheoryData<string, string> Filters => new()
    {
        { "q=鑫", "FirmSearchGrams" },
        { "q=智能", "FirmSearchGrams" },
        { "q=生物医药", "FirmSearchGrams" },
        { "zone=caohejing", "IX_Firms_Zone" },
        { "industry=ai", "IX_Firms_Industry" },
        { "tier=key", "IX_Firms_Tier" },
        { "status=moved-out", "IX_Firms_Status" },
        { "officerId=7", "IX_Firms_LeadOfficerId" },
        { "officerId=7", "IX_FirmOfficers_UserId_FirmId" },
        { "program=hnte", "IX_Cases_Program_Stage_FirmId" },
        { "program=hnte&stage=submitted", "IX_Cases_Program_Stage_FirmId" },
        { "stage=submitted", "IX_Cases_" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Each_firm_filter_is_served_by_an_index_and_never_scans_firms(string filter, string expectedIndex)
    {
        var plan = await PlanAsync(Parse(filter));
        var text = string.Join("\n", plan);

        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN f ", StringComparison.Ordinal) || line == "SCAN f");
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal) && !line.Contains("USING", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.StartsWith("SEARCH ", StringComparison.Ordinal) && line.Contains(expectedIndex, StringComparison.Ordinal)
            // FirmSearchGrams is WITHOUT ROWID: its key is the table, which SQLite names only as "PRIMARY KEY (Gram=?)".
            || line.StartsWith("SEARCH ", StringComparison.Ordinal) && expectedIndex == "FirmSearchGrams" && line.Contains("USING PRIMARY KEY (Gram=?)", StringComparison.Ordinal));
        Assert.True(
            plan.Any(line => line.Contains("USING INDEX", StringComparison.Ordinal) || line.Contains("USING COVERING INDEX", StringComparison.Ordinal)
                || line.Contains("USING INTEGER PRIMARY KEY", StringComparison.Ordinal) || line.Contains("USING PRIMARY KEY", StringComparison.Ordinal)),
            text);
    }

    [Theory]
    [InlineData("q=鑫", null)]
    [InlineData("q=鑫", "-name")]
    [InlineData("q=智能", null)]
    [InlineData("q=生物医药", null)]
    [InlineData("q=生物医药", "-name")]
    [InlineData("q=生物医药&zone=caohejing", null)]
    [InlineData("q=智能&tier=key", null)]
    public async Task A_text_search_pages_in_name_order_off_the_gram_key_without_sorting_its_matches(string filter, string? sort)
    {
        // Before the gram key carried the name: SEARCH g USING COVERING INDEX sqlite_autoindex_FirmSearchGrams_1
        // (Gram=?), SEARCH f USING INTEGER PRIMARY KEY, USE TEMP B-TREE FOR ORDER BY: every match read and sorted per page.
        // Longer queries and filtered ones walk the same key, confirming each candidate on its firm row.
        var plan = await PlanAsync(Parse(filter) with { Sort = sort }, paged: true);
        var text = string.Join("\n", plan);

        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal));
        // The gram table is WITHOUT ROWID, so its key holds the rows (covering by construction): "USING PRIMARY KEY (Gram=?)".
        Assert.Contains(plan, line => line.StartsWith("SEARCH ", StringComparison.Ordinal)
            && line.Contains("USING PRIMARY KEY (Gram=?)", StringComparison.Ordinal));
        Assert.True(plan.Any(line => line.Contains("USING INTEGER PRIMARY KEY", StringComparison.Ordinal)), text);
    }

    [Theory]
    [InlineData("q=生物医药")]
    [InlineData("q=生物医药&zone=caohejing")]
    public async Task A_longer_search_narrows_the_lead_pair_by_its_last_pair_on_the_full_gram_key_before_reading_firms(string filter)
    {
        var plan = await PlanAsync(Parse(filter), paged: true);
        var text = string.Join("\n", plan);

        Assert.Contains(plan, line => line.Contains("(Gram=? AND Name=? AND FirmId=?)", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.True(plan.Count > 0, text);
    }

    [Fact]
    public async Task The_compiled_page_of_a_longer_search_walks_the_gram_key_in_name_order_and_narrows_on_the_full_key()
    {
        // The shape most searches of three or more characters take (no filter, name order): FirmSearch.TextPage.
        var plan = await PlanAsync((db, _) => FirmSearch.TextPage.Compile()(db, "生物", "医药", "生物医药", 20, 20));
        var text = string.Join("\n", plan);

        Assert.Contains(plan, line => line.StartsWith("SEARCH ", StringComparison.Ordinal) && line.Contains("USING PRIMARY KEY (Gram=?)", StringComparison.Ordinal));
        Assert.Contains(plan, line => line.Contains("(Gram=? AND Name=? AND FirmId=?)", StringComparison.Ordinal));
        Assert.True(plan.Any(line => line.Contains("USING INTEGER PRIMARY KEY", StringComparison.Ordinal)), text);
        Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
    }

    private Task<List<string>> PlanAsync(FirmQuery query, bool paged = false) =>
        PlanAsync((_, search) => paged ? search.Ordered(query).Skip(20).Take(20) : search.Filter(query));

    private async Task<List<string>> PlanAsync<T>(Func<CrmDbContext, FirmSearch, IQueryable<T>> build)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
        await db.Database.OpenConnectionAsync();
        await using DbCommand command = build(db, search).CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return lines;
    }

    private static FirmQuery Parse(string filter)
    {
        var values = filter.Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        string? Get(string key) => values.GetValueOrDefault(key);
        return new FirmQuery(
            Get("q"),
            Get("program"),
            Get("stage"),
            Get("officerId") is { } officer ? long.Parse(officer, System.Globalization.CultureInfo.InvariantCulture) : null,
            Get("zone"),
            Get("industry"),
            Get("tier"),
            Get("status"),
            null,
            null,
            null);
    }
}
