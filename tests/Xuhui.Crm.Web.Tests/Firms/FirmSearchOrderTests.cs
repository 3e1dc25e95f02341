using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// A text search is ordered by the gram row's own columns, on both providers. Ordered by the firm's name instead,
/// PostgreSQL at a million firms chose to walk the firms' name index and probe each firm's grams until a page was
/// full: 14 s for a pair 149 firms have (tests/bench/CITY.md). A test database is too small for the
/// planner to show that choice, so this pins the statement's shape; the city benchmark prints the plans.
/// </summary>
public sealed partial class FirmSearchOrderTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData("鑫", null, null)]
    [InlineData("智能", "-name", null)]
    [InlineData("生物医药", null, null)]
    [InlineData("生物医药", "-name", null)]
    [InlineData("生物医药", null, "caohejing")]
    [InlineData("生物医药", "createdAt", null)]
    [InlineData("生物医药", "-createdAt", "caohejing")]
    public async Task A_text_search_is_ordered_by_the_gram_rows_columns(string q, string? sort, string? zone)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
        var sql = search.Ordered(new FirmQuery(q, null, null, null, zone, null, null, null, sort, null, null)).Skip(20).Take(20).ToQueryString();

        var gramAlias = GramAlias().Match(sql);
        Assert.True(gramAlias.Success, sql);
        var orderBy = sql[(sql.LastIndexOf("ORDER BY", StringComparison.Ordinal) + "ORDER BY".Length)..];
        var keys = OrderKey().Matches(orderBy).Select(m => (Alias: m.Groups[1].Value, Column: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.Equal(gramAlias.Groups[1].Value, k.Alias));
        Assert.Equal(sort is "createdAt" or "-createdAt" ? ["FirmId"] : ["Name", "FirmId"], keys.Select(k => k.Column));
    }

    [Fact]
    public async Task The_compiled_page_of_a_longer_search_is_ordered_by_the_gram_rows_columns()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Xuhui.Crm.Web.Data.CrmDbContext>();
        var sql = FirmSearch.TextPage.Compile()(db, "生物", "医药", "生物医药", 20, 20).ToQueryString();

        // The lead gram's rows are a derived table joined to the firms; the page is ordered by its columns.
        var leadAlias = LeadGramTable().Match(sql);
        Assert.True(leadAlias.Success, sql);
        var orderBy = sql[(sql.LastIndexOf("ORDER BY", StringComparison.Ordinal) + "ORDER BY".Length)..];
        var keys = OrderKey().Matches(orderBy).Select(m => (Alias: m.Groups[1].Value, Column: m.Groups[2].Value)).ToList();
        Assert.All(keys, k => Assert.Equal(leadAlias.Groups[1].Value, k.Alias));
        Assert.Equal(["Name", "FirmId"], keys.Select(k => k.Column));
    }

    [Fact]
    public async Task A_list_without_text_is_ordered_by_the_firms_own_columns()
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
        var sql = search.Ordered(new FirmQuery(null, null, null, null, "caohejing", null, null, null, null, null, null)).Take(20).ToQueryString();

        Assert.DoesNotContain("FirmSearchGrams", sql, StringComparison.Ordinal);
        var orderBy = sql[(sql.LastIndexOf("ORDER BY", StringComparison.Ordinal) + "ORDER BY".Length)..];
        Assert.Equal(["Name", "Id"], OrderKey().Matches(orderBy).Select(m => m.Groups[2].Value));
    }

    [GeneratedRegex("\"FirmSearchGrams\" AS \"?(\\w+)")]
    private static partial Regex GramAlias();

    [GeneratedRegex("FROM \"FirmSearchGrams\" AS \"?\\w+\"?\\s+WHERE \"?\\w+\"?\\.\"Gram\" = @\\w+\\s*\\) AS \"?(\\w+)")]
    private static partial Regex LeadGramTable();

    [GeneratedRegex("\"?(\\w+)\"?\\.\"(\\w+)\"")]
    private static partial Regex OrderKey();
}
