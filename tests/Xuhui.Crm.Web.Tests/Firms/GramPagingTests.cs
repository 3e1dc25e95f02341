using System.Net;
using System.Text.Json.Nodes;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// A one- or two-character search in name order pages off the gram key (Gram, Name, FirmId). Its pages must be
/// exactly those of the general path (firms sorted by Name, Id), which a status filter forces, and its total exact,
/// after renames (the grams carry the name) and archiving (the firm leaves the index).
/// </summary>
public sealed class GramPagingTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    // 澜 in every name, at different places, so name order is not insertion order; two share a name (Id breaks the tie).
    private static readonly string[] Names =
    [
        "上海澜舟科技有限公司", "澜起信息技术有限公司", "汇澜生物医药有限公司", "上海澜舟科技有限公司", "博澜智能制造有限公司",
        "澜湾数据服务有限公司", "上海新澜能源有限公司", "云澜半导体有限公司", "澜图软件有限公司", "上海北澜咨询有限公司",
        "紫澜医疗器械有限公司", "上海澜亭材料有限公司",
    ];

    [Fact]
    public async Task Gram_paged_search_returns_the_same_pages_and_total_as_the_general_path_after_renames_and_archiving()
    {
        using var admin = await factory.AdminAsync();
        var firms = new List<JsonNode>();
        foreach (var name in Names)
        {
            firms.Add(await admin.CreateFirmAsync(TestData.Firm(name)));
        }

        // A firm from the end of the order is renamed to the front (Latin sorts before Chinese in every collation): only
        // a rewrite of its grams moves it in the gram key.
        var (before, _) = await WalkAsync(admin, "q=%E6%BE%9C&sort=name"); // 澜
        Assert.NotEqual(firms[10].Id(), before[0]);
        var renamed = firms[10].Editable().With("name", "A澜测试有限公司");
        await admin.PutJsonAsync($"/api/firms/{firms[10].Id()}", renamed, HttpStatusCode.OK);
        using (var delete = await admin.DeleteAsync($"/api/firms/{firms[4].Id()}"))
        {
            await delete.ExpectAsync(HttpStatusCode.NoContent);
        }

        foreach (var q in new[] { "澜", "上海" })
        {
            foreach (var sort in new[] { "name", "-name" })
            {
                var (fromGrams, gramTotal) = await WalkAsync(admin, $"q={Uri.EscapeDataString(q)}&sort={sort}");
                var (general, generalTotal) = await WalkAsync(admin, $"q={Uri.EscapeDataString(q)}&sort={sort}&status=active");
                Assert.Equal(general, fromGrams);
                Assert.Equal(generalTotal, gramTotal);
                Assert.Equal(fromGrams.Count, gramTotal);
            }
        }

        var (all, total) = await WalkAsync(admin, "q=%E6%BE%9C&sort=name"); // 澜
        Assert.Equal(Names.Length - 1, total);
        Assert.DoesNotContain(firms[4].Id(), all);
        Assert.Equal(firms[10].Id(), all[0]);
        var twins = all.IndexOf(firms[0].Id());
        Assert.Equal(firms[3].Id(), all[twins + 1]); // the same name twice: the older firm first
    }

    /// <summary>Every page of 5, in order; the ids and the total the pages reported.</summary>
    private static async Task<(List<long> Ids, int Total)> WalkAsync(HttpClient client, string query)
    {
        var ids = new List<long>();
        var total = -1;
        for (var page = 1; page < 10; page++)
        {
            var body = await client.GetJsonAsync($"/api/firms?{query}&page={page}&pageSize=5");
            total = body["total"]!.GetValue<int>();
            var items = body["items"]!.AsArray();
            if (items.Count == 0)
            {
                break;
            }

            ids.AddRange(items.Select(f => f!.Id()));
        }

        return (ids, total);
    }
}
