using System.Globalization;
using System.Text.Json.Nodes;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

public sealed class FirmSearchTests(SearchFactory factory) : IClassFixture<SearchFactory>
{
    [Theory]
    [InlineData("鑫", new[] { "xinyuan", "xinlei" })]
    [InlineData("智能", new[] { "xinyuan" })]
    [InlineData("生物医药", new[] { "xinlei" })]
    [InlineData("精密制造有限公司", new[] { "huajing" })]
    [InlineData("麒麟", new[] { "yuntu" })]
    [InlineData("上海麒麟数据", new[] { "yuntu" })]
    [InlineData("（上海）", new[] { "xinlei" })]
    [InlineData("(上海)", new[] { "xinlei" })]
    [InlineData("鑫 磊", new[] { "xinlei" })]
    [InlineData("不存在的企业名", new string[0])]
    [InlineData("鑫海", new string[0])]
    // Three or more characters: candidates must have the first and the last pair, then the whole text.
    [InlineData("鑫源智", new[] { "xinyuan" })]
    [InlineData("智能科技", new[] { "xinyuan" })]
    [InlineData("麒麟数据服", new[] { "yuntu" })]
    [InlineData("鑫源生物", new string[0])]
    [InlineData("医药上海", new string[0])]
    public async Task Searching_by_name_finds_exactly_the_matching_firms(string q, string[] expected)
    {
        await AssertFoundAsync($"/api/firms?q={Uri.EscapeDataString(q)}", expected);
    }

    [Fact]
    public async Task Searching_by_a_one_character_chinese_query_excludes_archived_firms()
    {
        // 鑫海归档测试有限公司 is archived.
        await AssertFoundAsync("/api/firms?q=%E9%91%AB", ["xinyuan", "xinlei"]);
    }

    [Fact]
    public async Task Searching_by_a_full_credit_code_finds_the_firm_in_any_case_and_width()
    {
        var code = factory.Codes["huajing"];
        await AssertFoundAsync($"/api/firms?q={code}", ["huajing"]);
        await AssertFoundAsync($"/api/firms?q={code.ToLowerInvariant()}", ["huajing"]);
        var fullWidth = string.Concat(code.Select(c => (char)(c + 0xFEE0)));
        await AssertFoundAsync($"/api/firms?q={Uri.EscapeDataString(fullWidth)}", ["huajing"]);
    }

    [Fact]
    public async Task A_search_with_no_hits_returns_an_empty_page()
    {
        using var admin = await factory.AdminAsync();
        var page = await admin.GetJsonAsync("/api/firms?q=%E6%B2%A1%E6%9C%89%E8%BF%99%E5%AE%B6"); // 没有这家
        Assert.Equal(0, page["total"]!.GetValue<int>());
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(1, page["page"]!.GetValue<int>());
        Assert.Equal(20, page["pageSize"]!.GetValue<int>());
    }

    [Fact]
    public async Task Paging_returns_the_total_page_and_page_size_and_the_right_slice()
    {
        using var admin = await factory.AdminAsync();
        var first = await admin.GetJsonAsync("/api/firms?q=%E5%88%86%E9%A1%B5"); // 分页
        Assert.Equal(SearchFactory.PagingFirms, first["total"]!.GetValue<int>());
        Assert.Equal(1, first["page"]!.GetValue<int>());
        Assert.Equal(20, first["pageSize"]!.GetValue<int>());
        Assert.Equal(20, first["items"]!.AsArray().Count);

        var seen = new List<string>();
        for (var p = 1; p <= 3; p++)
        {
            var page = await admin.GetJsonAsync($"/api/firms?q=%E5%88%86%E9%A1%B5&page={p}&pageSize=10");
            Assert.Equal(SearchFactory.PagingFirms, page["total"]!.GetValue<int>());
            Assert.Equal(p, page["page"]!.GetValue<int>());
            Assert.Equal(10, page["pageSize"]!.GetValue<int>());
            seen.AddRange(page["items"]!.AsArray().Select(f => f!.Str("name")!));
        }

        var expected = Enumerable.Range(1, SearchFactory.PagingFirms).Select(i => $"分页样本企业{i.ToString("D2", CultureInfo.InvariantCulture)}有限公司");
        Assert.Equal(expected, seen);
        var beyond = await admin.GetJsonAsync("/api/firms?q=%E5%88%86%E9%A1%B5&page=4&pageSize=10");
        Assert.Empty(beyond["items"]!.AsArray());
        Assert.Equal(SearchFactory.PagingFirms, beyond["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Filtering_by_zone_returns_the_firms_in_that_zone()
    {
        await AssertFoundAsync($"/api/firms?zone={TestData.Zone}", ["xinyuan"]);
        await AssertFoundAsync("/api/firms?zone=caohejing-huajing-belt", ["huajing"]);
    }

    [Fact]
    public async Task Filtering_by_industry_returns_the_firms_in_that_industry()
    {
        await AssertFoundAsync($"/api/firms?industry={TestData.OtherIndustry}", ["xinlei"]);
    }

    [Fact]
    public async Task Filtering_by_tier_returns_the_key_firms()
    {
        await AssertFoundAsync("/api/firms?tier=key", ["xinyuan", "huajing"]);
    }

    [Fact]
    public async Task Filtering_by_status_returns_the_firms_that_moved_out()
    {
        await AssertFoundAsync("/api/firms?status=moved-out", ["huajing"]);
    }

    [Fact]
    public async Task Filtering_by_officer_includes_firms_where_they_are_co_officer()
    {
        await AssertFoundAsync($"/api/firms?officerId={factory.OfficerOne.Id}", ["xinyuan", "xinlei"]);
        await AssertFoundAsync($"/api/firms?officerId={factory.OfficerTwo.Id}", ["xinlei"]);
    }

    [Fact]
    public async Task Filtering_by_programme_and_stage_returns_the_firms_with_such_a_case()
    {
        await AssertFoundAsync("/api/firms?program=hnte", ["xinyuan", "xinlei"]);
        await AssertFoundAsync("/api/firms?program=hnte&stage=submitted", ["xinlei"]);
        await AssertFoundAsync("/api/firms?stage=applied", ["yuntu"]);
        await AssertFoundAsync("/api/firms?program=pre-ipo", []);
    }

    [Fact]
    public async Task Filters_combine_with_a_query()
    {
        await AssertFoundAsync("/api/firms?q=%E9%91%AB&tier=key", ["xinyuan"]);
        await AssertFoundAsync($"/api/firms?q=%E9%91%AB&officerId={factory.OfficerTwo.Id}", ["xinlei"]);
    }

    private async Task AssertFoundAsync(string url, string[] expectedLabels)
    {
        using var admin = await factory.AdminAsync();
        var page = await admin.GetJsonAsync(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "pageSize=200");
        var labels = factory.Firms.ToDictionary(f => f.Value, f => f.Key);
        var found = page["items"]!.AsArray().Select(f => labels[f!.Id()]).Order().ToList();
        Assert.Equal(expectedLabels.Order().ToList(), found);
        Assert.Equal(expectedLabels.Length, page["total"]!.GetValue<int>());
    }
}
