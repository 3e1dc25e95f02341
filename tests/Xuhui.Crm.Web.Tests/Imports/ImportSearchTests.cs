using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>
/// An import's search grams are written after its firms are committed (from the search backlog, in short batches):
/// the import answers only once they are in, and firms left on the backlog by a crash get them when the service starts.
/// </summary>
public sealed class ImportSearchTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static readonly string[] Header = ["企业名称", "统一社会信用代码", "所属街道/园区", "行业"];

    private static async Task<int> TotalAsync(HttpClient client, string q) =>
        (await client.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString(q)}"))["total"]!.GetValue<int>();

    [Fact]
    public async Task Firms_left_without_grams_by_a_crash_after_the_commit_become_searchable_when_the_service_starts()
    {
        using var admin = await factory.AdminAsync();
        var file = ImportFiles.Csv([
            Header,
            ["上海琥珀恢复一号科技有限公司", ImportFiles.Code(), "漕河泾开发区增长极", "人工智能"],
            ["上海琥珀恢复二号科技有限公司", ImportFiles.Code(), "徐汇滨江增长极", "生命健康"],
        ]);
        using var response = await admin.UploadAsync(file, "recover.csv");
        Assert.Equal("committed", (await response.ExpectAsync(HttpStatusCode.OK))!["status"]!.GetValue<string>());
        // The answer came after the grams: both lookups (gram only, and gram plus substring) find them at once.
        Assert.Equal(2, await TotalAsync(admin, "琥珀"));
        Assert.Equal(1, await TotalAsync(admin, "琥珀恢复二号"));
        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));

        // The state a crash between the firms' commit and their grams leaves behind.
        var ids = await factory.WithDbAsync(db => db.Firms.Where(f => f.Name.StartsWith("上海琥珀恢复")).Select(f => f.Id).ToListAsync());
        Assert.Equal(2, ids.Count);
        await factory.WithDbAsync(async db =>
        {
            await db.FirmSearchGrams.Where(g => ids.Contains(g.FirmId)).ExecuteDeleteAsync();
            db.FirmSearchBacklog.AddRange(ids.Select(id => new FirmSearchBacklog { FirmId = id }));
            await db.SaveChangesAsync();
        });
        // A restarted process starts with no cached search counts (Features/Firms/GramCountCache.cs).
        factory.Services.GetRequiredService<Xuhui.Crm.Web.Features.Firms.GramCountCache>().Changed();
        Assert.Equal(0, await TotalAsync(admin, "琥珀"));

        // What the host runs on start.
        var recovery = factory.Services.GetServices<IHostedService>().OfType<SearchGramRecovery>().Single();
        await recovery.StartAsync(CancellationToken.None);
        await recovery.ExecuteTask!;

        Assert.Equal(2, await TotalAsync(admin, "琥珀"));
        Assert.Equal(1, await TotalAsync(admin, "琥珀恢复一号"));
        Assert.Equal(0, await factory.WithDbAsync(db => db.FirmSearchBacklog.CountAsync()));
    }

    [Fact]
    public async Task A_firm_renamed_by_an_import_is_found_by_its_new_name_only()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var firm = await admin.CreateFirmAsync(TestData.Firm("上海翡翠旧名科技有限公司", code));
        Assert.Equal(1, await TotalAsync(admin, "翡翠旧名"));

        using var response = await admin.UploadAsync(ImportFiles.Csv([Header, ["上海玛瑙新名科技有限公司", code, null, null]]), "rename.csv");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, report["counts"]!["update"]!.GetValue<int>());

        Assert.Equal(0, await TotalAsync(admin, "翡翠"));
        Assert.Equal(0, await TotalAsync(admin, "翡翠旧名"));
        Assert.Equal(1, await TotalAsync(admin, "玛瑙"));
        var found = (await admin.GetJsonAsync($"/api/firms?q={Uri.EscapeDataString("玛瑙新名")}"))["items"]![0]!;
        Assert.Equal(firm.Id(), found.Id());
    }
}
