using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Features.Contacts;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// A query of three or more characters with no filter, in name order, is answered by compiled statements
/// (FirmSearch.TextPage and its count): they must find exactly the firms whose text contains the query, in the same
/// order and with the same total as the general path, on every page, on both providers.
/// </summary>
public sealed class FirmTextPageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task The_compiled_page_and_count_of_a_longer_query_match_the_general_path_and_the_firms_own_names()
    {
        using var admin = await factory.AdminAsync();
        var names = new List<string>();
        // 23 firms with 鹈鹕湾 (more than a page of 20), at the start, the middle and the end of the name.
        for (var i = 0; i < 23; i++)
        {
            names.Add(i % 3 == 0 ? $"鹈鹕湾{(char)('甲' + i)}号科技有限公司" : i % 3 == 1 ? $"上海{(char)('甲' + i)}鹈鹕湾科技有限公司" : $"上海{(char)('甲' + i)}号科技有限公司鹈鹕湾");
        }

        // The lead pair without the last (鹈鹕 but no 鹕湾), the last pair without the lead, both pairs apart, and a
        // query whose last pair is its lead pair (鹈鹕鹈鹕).
        names.AddRange(["上海鹈鹕科技有限公司", "上海鹕湾科技有限公司", "上海鹈鹕与鹕湾科技有限公司", "上海鹈鹕鹈鹕科技有限公司", "上海鹈鹕鹈科技有限公司"]);
        var ids = new Dictionary<string, long>();
        foreach (var name in names)
        {
            ids[name] = (await admin.CreateFirmAsync(TestData.Firm(name))).Id();
        }

        // An archived firm keeps no grams; here its grams are left in place, so only the firm's own flag excludes it.
        var archived = names[1];
        await factory.WithDbAsync(db => db.Firms.Where(f => f.Id == ids[archived]).ExecuteUpdateAsync(s => s.SetProperty(f => f.IsArchived, true)));

        foreach (var q in new[] { "鹈鹕湾", "鹈鹕湾科技", "湾科技有限", "鹈鹕鹈鹕", "鹈鹕鹈", "鹈鹕湾蝴蝶" })
        {
            var expected = names.Where(n => n != archived && n.Contains(q, StringComparison.Ordinal)).Select(n => ids[n]).ToHashSet();
            List<long> general;
            await using (var scope = factory.Services.CreateAsyncScope())
            {
                // The general path: the same query through FirmSearch's uncompiled LINQ (nothing is pending here).
                var search = scope.ServiceProvider.GetRequiredService<FirmSearch>();
                general = await search.Ordered(new FirmQuery(q, null, null, null, null, null, null, null, null, null, null), pending: false).Select(f => f.Id).ToListAsync();
            }

            // Through the API, page by page (20 a page), and the total from the compiled count when the page is full.
            var paged = new List<long>();
            var totals = new List<int>();
            for (var page = 1; page <= 3; page++)
            {
                var json = await admin.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(q)}&page={page}");
                totals.Add(json["total"]!.GetValue<int>());
                paged.AddRange(json["items"]!.AsArray().Select(i => i!.Id()));
            }

            Assert.Equal(expected.Count, general.Count);
            Assert.Equal(expected, general.ToHashSet());
            Assert.Equal(general, paged);
            Assert.All(totals, t => Assert.Equal(expected.Count, t));
        }
    }
}
