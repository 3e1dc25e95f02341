using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Features.Imports;
using Xuhui.Crm.Web.Features.Exports;
using Xuhui.Crm.Web.Features.Firms;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>The host with a hook between a commit's staging and its apply, where the test lets an officer save.</summary>
public sealed class StaleEditFactory : CrmFactory
{
    public ImportStagedHook Hook { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton(Hook));
    }
}

/// <summary>
/// An officer edits a firm after the import read it and before the import writes: the contract (ImportApplier) is a
/// version check on every updated row, a 409 for the whole import and nothing of it written. The officer's edit stays.
/// </summary>
public sealed class ImportStaleEditTests(StaleEditFactory factory) : IClassFixture<StaleEditFactory>
{
    [Fact]
    public async Task An_officer_edit_between_staging_and_apply_makes_the_import_a_409_that_writes_nothing_and_keeps_the_edit()
    {
        using var admin = await factory.AdminAsync();
        var (_, officer) = await factory.UserAndClientAsync("officer");
        var code = ImportFiles.Code();
        var firm = await officer.CreateFirmAsync(TestData.Firm("上海陈旧编辑科技有限公司", code));
        var newCode = ImportFiles.Code();
        var file = ImportFiles.Xlsx([
            ["企业名称", "统一社会信用代码", "注册地址", "职工总数"],
            ["上海陈旧编辑科技有限公司", code, "导入路1号", "300"],
            ["上海陈旧新建科技有限公司", newCode, "导入路2号", "20"],
        ]);

        Dictionary<string, long>? afterEdit = null;
        factory.Hook.Run = async ct =>
        {
            var current = await officer.GetJsonAsync($"/api/firms/{firm.Id()}");
            var body = current.Editable();
            body["address"] = "官员路9号";
            using var saved = await officer.PutAsJsonAsync($"/api/firms/{firm.Id()}", body, ct);
            await saved.ExpectAsync(HttpStatusCode.OK);
            afterEdit = await factory.RowCountsAsync();
        };

        using (var commit = await admin.UploadAsync(file, "stale.xlsx"))
        {
            var problem = (await commit.ExpectAsync(HttpStatusCode.Conflict))!;
            Assert.Contains("修改", problem["detail"]!.GetValue<string>());
        }

        factory.Hook.Run = null;
        Assert.NotNull(afterEdit);
        Assert.Equal(afterEdit, await factory.RowCountsAsync());

        var kept = await officer.GetJsonAsync($"/api/firms/{firm.Id()}");
        Assert.Equal("官员路9号", kept.Str("address"));
        Assert.Equal(firm.Version() + 1, kept.Version());
        Assert.Equal(120, kept["headcount"]!.GetValue<int>());
        Assert.Empty((await admin.GetJsonAsync($"/api/firms?q={newCode}"))["items"]!.AsArray());
        var run = (await admin.GetJsonAsync("/api/imports"))[0]!;
        Assert.Equal("failed", run.Str("status"));

        // Nothing was lost on either side: the same file imported again now applies over the officer's edit.
        using (var again = await admin.UploadAsync(file, "stale.xlsx"))
        {
            var report = (await again.ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(1, report["counts"]!["update"]!.GetValue<int>());
            Assert.Equal(1, report["counts"]!["create"]!.GetValue<int>());
        }

        var updated = await officer.GetJsonAsync($"/api/firms/{firm.Id()}");
        Assert.Equal("导入路1号", updated.Str("address"));
        Assert.Equal(300, updated["headcount"]!.GetValue<int>());
        Assert.Equal(kept.Version() + 1, updated.Version());
        var audit = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
        Assert.Contains(audit.AsArray(), e => e!["changes"]!.AsArray().Any(c => c!["field"]!.GetValue<string>() == "Address" && c["new"]!.GetValue<string>() == "官员路9号"));
        Assert.Single((await admin.GetJsonAsync($"/api/firms?q={newCode}"))["items"]!.AsArray());
    }
}
