using System.Net;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Firms;

/// <summary>
/// The exact count of a one- or two-character search is cached per gram (Crm:Search:CountCacheSeconds, default 5).
/// Grams written through this instance must show at once; a write this instance did not make (another instance of a
/// city deployment) is simulated with raw SQL and is seen once the lifetime has passed.
/// </summary>
public sealed class GramCountCacheTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private async Task<int> TotalAsync(HttpClient client, string q) =>
        (await client.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(q)}"))["total"]!.GetValue<int>();

    [Fact]
    public async Task Creating_and_renaming_through_the_api_and_archiving_through_the_context_change_the_count_at_once()
    {
        using var admin = await factory.AdminAsync();
        await admin.CreateFirmAsync(TestData.Firm("上海龘甲科技有限公司"));
        Assert.Equal(1, await TotalAsync(admin, "龘"));
        Assert.Equal(1, await TotalAsync(admin, "龘甲"));

        var second = await admin.CreateFirmAsync(TestData.Firm("上海龘乙科技有限公司"));
        Assert.Equal(2, await TotalAsync(admin, "龘"));

        var body = (await admin.GetJsonAsync($"/api/firms/{second.Id()}")).Editable();
        body["name"] = "上海丙丁科技有限公司";
        await admin.PutJsonAsync($"/api/firms/{second.Id()}", body, HttpStatusCode.OK);
        Assert.Equal(1, await TotalAsync(admin, "龘"));
        Assert.Equal(1, await TotalAsync(admin, "丙丁"));

        // Archiving (merges and erasure do it through the context) takes the firm out of search.
        await factory.WithDbAsync(async db =>
        {
            var firm = await db.Firms.SingleAsync(f => f.Id == second.Id());
            firm.IsArchived = true;
            await db.SaveChangesAsync();
        });
        Assert.Equal(0, await TotalAsync(admin, "丙丁"));
    }

    [Fact]
    public async Task Grams_written_by_another_instance_are_counted_once_the_cache_lifetime_has_passed()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海鼗甲科技有限公司"));
        var other = await admin.CreateFirmAsync(TestData.Firm("上海另一家科技有限公司"));
        Assert.Equal(1, await TotalAsync(admin, "鼗"));

        await factory.WithDbAsync(db => db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"FirmSearchGrams\" (\"Gram\", \"Name\", \"FirmId\") VALUES ({"鼗"}, {"上海另一家科技有限公司"}, {other.Id()})"));
        Assert.Equal(1, await TotalAsync(admin, "鼗"));

        factory.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, await TotalAsync(admin, "鼗"));
        _ = firm;
    }
}
