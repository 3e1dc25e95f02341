using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using MiniExcelLibs;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

public sealed class MergeAndExportTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Fact]
    public async Task Merging_moves_contacts_cases_visits_tasks_and_audit_and_the_old_id_redirects_to_the_survivor()
    {
        using var admin = await factory.AdminAsync();
        var survivor = await admin.CreateFirmAsync(TestData.Firm("上海存续科技有限公司", ImportFiles.Code()));
        var duplicate = await admin.CreateFirmAsync(TestData.Firm("上海重复登记科技有限公司", ImportFiles.Code()));
        var contact = await admin.PostJsonAsync($"/api/firms/{duplicate.Id()}/contacts", new { name = "王五", phone = "13900000000" }, HttpStatusCode.Created);
        var @case = await admin.PostJsonAsync($"/api/firms/{duplicate.Id()}/cases", new { program = "hnte", stage = "lead" }, HttpStatusCode.Created);
        var auditBefore = (await admin.GetJsonAsync($"/api/firms/{duplicate.Id()}/audit")).AsArray().Count;

        var result = await admin.PostJsonAsync($"/api/firms/{duplicate.Id()}/merge", new { intoId = survivor.Id() }, HttpStatusCode.OK);
        Assert.Equal(1, result["moved"]!["contacts"]!.GetValue<int>());
        Assert.Equal(1, result["moved"]!["cases"]!.GetValue<int>());

        using var redirect = await admin.GetAsync($"/api/firms/{duplicate.Id()}");
        Assert.Equal(HttpStatusCode.PermanentRedirect, redirect.StatusCode);
        Assert.Equal($"/api/firms/{survivor.Id()}", redirect.Headers.Location!.OriginalString);
        Assert.Equal(survivor.Id(), (await admin.GetJsonAsync($"/api/contacts/{contact.Id()}"))["firmId"]!.GetValue<long>());
        Assert.Equal(survivor.Id(), (await admin.GetJsonAsync($"/api/cases/{@case.Id()}"))["firmId"]!.GetValue<long>());
        var audit = (await admin.GetJsonAsync($"/api/firms/{survivor.Id()}/audit")).AsArray();
        Assert.True(audit.Count > auditBefore);
        Assert.Contains(audit, a => a!["changes"]!.AsArray().Any(c => c!["field"]!.GetValue<string>() == "MergedFrom"));
        var firm = await admin.GetJsonAsync($"/api/firms/{survivor.Id()}");
        Assert.Contains("上海重复登记科技有限公司", firm["formerNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        // The duplicate's name now finds the survivor.
        var found = await admin.GetJsonAsync("/api/firms?q=重复登记");
        Assert.Equal(survivor.Id(), found["items"]![0]!.Id());

        using var again = await admin.PostAsJsonAsync($"/api/firms/{duplicate.Id()}/merge", new { intoId = survivor.Id() });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using var self = await admin.PostAsJsonAsync($"/api/firms/{survivor.Id()}/merge", new { intoId = survivor.Id() });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
    }

    [Fact]
    public async Task Importing_a_merged_firms_code_updates_the_survivor()
    {
        using var admin = await factory.AdminAsync();
        var survivor = await admin.CreateFirmAsync(TestData.Firm("上海导入存续有限公司", ImportFiles.Code()));
        var duplicate = await admin.CreateFirmAsync(TestData.Firm("上海导入重复有限公司", ImportFiles.Code()));
        await admin.PostJsonAsync($"/api/firms/{duplicate.Id()}/merge", new { intoId = survivor.Id() }, HttpStatusCode.OK);

        var file = ImportFiles.Csv([["统一社会信用代码", "企业名称", "注册地址"], [duplicate.Str("creditCode"), "上海导入存续有限公司", "田林路9号"]]);
        using var response = await admin.UploadAsync(file, "m.csv");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(survivor.Id(), report["rows"]![0]!["firmId"]!.GetValue<long>());
        Assert.Equal("田林路9号", (await admin.GetJsonAsync($"/api/firms/{survivor.Id()}")).Str("address"));
    }

    [Fact]
    public async Task A_CSV_export_has_a_BOM_neutralises_formulas_and_masks_contacts_for_viewers()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("=HYPERLINK(\"http://evil\")导出公司", ImportFiles.Code()));
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/contacts", new { name = "赵六", phone = "13912345678", email = "zhao@example.cn" }, HttpStatusCode.Created);

        using var full = await admin.GetAsync($"/api/exports/firms?format=csv&q={firm.Str("creditCode")}");
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var bytes = await full.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")导出公司\"", text, StringComparison.Ordinal);
        Assert.Contains("13912345678", text, StringComparison.Ordinal);

        var (_, viewer) = await factory.UserAndClientAsync("viewer");
        using (viewer)
        {
            using var masked = await viewer.GetAsync($"/api/exports/firms?format=csv&q={firm.Str("creditCode")}");
            var maskedText = await masked.Content.ReadAsStringAsync();
            Assert.DoesNotContain("13912345678", maskedText, StringComparison.Ordinal);
            Assert.Contains("139****5678", maskedText, StringComparison.Ordinal);
            Assert.Contains("z***@example.cn", maskedText, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task XLSX_exports_of_firms_cases_and_visits_open_as_workbooks()
    {
        using var admin = await factory.AdminAsync();
        var firm = await admin.CreateFirmAsync(TestData.Firm("+上海表格导出有限公司", ImportFiles.Code()));
        await admin.PostJsonAsync($"/api/firms/{firm.Id()}/cases", new { program = "hnte", stage = "lead" }, HttpStatusCode.Created);

        foreach (var url in new[] { "/api/exports/firms?format=xlsx", "/api/exports/cases", "/api/exports/visits?format=xlsx" })
        {
            using var response = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
            using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
            var rows = MiniExcel.Query(stream, useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
            if (url.Contains("firms", StringComparison.Ordinal))
            {
                Assert.Contains(rows, r => (r["企业名称"] as string) == "'+上海表格导出有限公司");
            }
            else if (url.Contains("cases", StringComparison.Ordinal))
            {
                Assert.Contains(rows, r => (r["企业名称"] as string) == "'+上海表格导出有限公司" && (r["培育项目"] as string) == "高新技术企业");
            }
        }

        using var bad = await admin.GetAsync("/api/exports/firms?format=pdf");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task An_exported_firm_list_imports_back_unchanged()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        await admin.CreateFirmAsync(TestData.Firm("上海往返科技有限公司", code));
        using var export = await admin.GetAsync($"/api/exports/firms?format=xlsx&q={code}");
        var bytes = await export.Content.ReadAsByteArrayAsync();
        using var response = await admin.UploadAsync(bytes, "firms.xlsx", "?dryRun=true", ("mapping", """{"企业ID":"ignore","负责专员":"ignore","上次走访":"ignore","状态":"ignore"}"""));
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(1, report["counts"]!["unchanged"]!.GetValue<int>());
    }
}
