using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

public sealed class ImportTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private static readonly string[] Header = ["企业名称", "统一社会信用代码", "注册地址", "成立日期", "所属街道/园区", "行业"];

    private static JsonNode RowAt(JsonNode report, int row) =>
        report["rows"]!.AsArray().First(r => r!["row"]!.GetValue<int>() == row)!;

    private static string Outcome(JsonNode report, int row) => RowAt(report, row)["outcome"]!.GetValue<string>();

    private static string Errors(JsonNode report, int row) =>
        string.Join(" | ", RowAt(report, row)["errors"]!.AsArray().Select(e => $"{e!["column"]}:{e["message"]}"));

    [Fact]
    public async Task A_dry_run_reports_each_row_and_every_error_kind_and_writes_no_firm()
    {
        using var admin = await factory.AdminAsync();
        var existing = await admin.CreateFirmAsync(TestData.Firm("上海既有科技有限公司", ImportFiles.Code()));
        var unchanged = await admin.CreateFirmAsync(TestData.Firm("上海不变科技有限公司", ImportFiles.Code()));
        var nameOnly = await admin.CreateFirmAsync(TestData.Firm("上海同名科技有限公司", ImportFiles.Code()));
        var valid = ImportFiles.Code();
        var (badCode, expected) = TestData.WithWrongCheckCharacter(ImportFiles.Code());
        var dup = ImportFiles.Code();
        var file = ImportFiles.Csv([
            Header,
            ["上海新建科技有限公司", valid, "虹梅路1号", "2020-05-01", "漕河泾开发区增长极", "人工智能"],      // 2 create
            ["上海既有科技有限公司", existing.Str("creditCode"), "新地址88号", null, null, null],              // 3 update
            ["上海不变科技有限公司", unchanged.Str("creditCode"), null, null, null, null],                      // 4 unchanged
            ["上海校验科技有限公司", badCode, null, null, null, null],                                         // 5 bad check character
            ["上海日期科技有限公司", ImportFiles.Code(), null, "2020-13-45", null, null],                     // 6 bad date
            ["上海园区科技有限公司", ImportFiles.Code(), null, null, "火星园区", null],                        // 7 unknown zone
            ["上海重复一科技有限公司", dup, null, null, null, null],                                           // 8
            ["上海重复二科技有限公司", dup, null, null, null, null],                                           // 9 duplicate code
            ["上海同名科技有限公司", null, null, null, null, null],                                             // 10 possible duplicate
        ]);
        var before = await factory.RowCountsAsync();

        using var response = await admin.UploadAsync(file, "firms.csv", "?dryRun=true");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;

        Assert.Equal("create", Outcome(report, 2));
        Assert.Equal("update", Outcome(report, 3));
        Assert.Equal(["Address"], RowAt(report, 3)["changes"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal("unchanged", Outcome(report, 4));
        Assert.Equal("error", Outcome(report, 5));
        Assert.Contains($"B:校验位应为 {expected}", Errors(report, 5), StringComparison.Ordinal);
        Assert.Contains("D:无法识别的日期", Errors(report, 6), StringComparison.Ordinal);
        Assert.Contains("E:未知功能区「火星园区」", Errors(report, 7), StringComparison.Ordinal);
        Assert.Equal("create", Outcome(report, 8));
        Assert.Contains("B:统一社会信用代码与第 8 行重复", Errors(report, 9), StringComparison.Ordinal);
        Assert.Equal("possibleDuplicate", Outcome(report, 10));
        Assert.Equal(nameOnly.Id(), RowAt(report, 10)["candidates"]![0]!.GetValue<long>());
        var counts = report["counts"]!;
        Assert.Equal(9, counts["rows"]!.GetValue<int>());
        Assert.Equal(4, counts["error"]!.GetValue<int>());
        Assert.Equal(2, counts["create"]!.GetValue<int>());

        var after = await factory.RowCountsAsync();
        Assert.Equal(before["Firms"], after["Firms"]);
        Assert.Equal(before["AuditEntries"], after["AuditEntries"]);

        var id = report["id"]!.GetValue<long>();
        using var csv = await admin.GetAsync($"/api/imports/{id}/report?format=csv");
        var text = await csv.Content.ReadAsStringAsync();
        Assert.Contains("校验位应为", text, StringComparison.Ordinal);
        Assert.Contains("可能重复", text, StringComparison.Ordinal);
        using var xlsx = await admin.GetAsync($"/api/imports/{id}/report?format=xlsx");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal((byte)'P', (await xlsx.Content.ReadAsByteArrayAsync())[0]);
        var history = await admin.GetJsonAsync("/api/imports");
        Assert.Equal("previewed", history[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_commit_with_error_rows_writes_nothing_unless_error_rows_are_skipped()
    {
        using var admin = await factory.AdminAsync();
        var good = ImportFiles.Code();
        var file = ImportFiles.Csv([
            Header,
            ["上海全有科技有限公司", good, null, "2019/3/2", null, null],
            ["上海全无科技有限公司", "91310104MA1234567X", null, null, null, null],
        ]);
        var before = await factory.RowCountsAsync();

        using var refused = await admin.UploadAsync(file, "firms.csv");
        var report = (await refused.ExpectAsync(HttpStatusCode.UnprocessableEntity))!;
        Assert.Equal("refused", report["status"]!.GetValue<string>());
        Assert.Equal(before["Firms"], (await factory.RowCountsAsync())["Firms"]);

        using var skipped = await admin.UploadAsync(file, "firms.csv", "?skipErrors=true");
        report = (await skipped.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("committed", report["status"]!.GetValue<string>());
        var firms = await admin.GetJsonAsync($"/api/firms?q={good}");
        var firm = firms["items"]![0]!;
        Assert.Equal("上海全有科技有限公司", firm.Str("name"));
        Assert.Equal("2019-03-02", firm.Str("establishedOn"));
        var audit = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
        Assert.Contains(audit.AsArray(), a => a!["action"]!.GetValue<string>() == "created" && a["entityType"]!.GetValue<string>() == "Firm");
        Assert.Equal(before["Firms"] + 1, (await factory.RowCountsAsync())["Firms"]);
    }

    [Fact]
    public async Task A_GBK_CSV_with_full_width_characters_is_read_and_mapped_to_codes()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var fullWidth = new string(code.Select(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z' ? (char)(c + 0xFEE0) : c).ToArray());
        var file = ImportFiles.Csv([
            ["企业名称", "统一社会信用代码", "所属街道/园区", "行业", "联系人", "联系电话", "成立日期"],
            ["上海全角（徐汇）科技有限公司", fullWidth, "徐汇滨江增长极", "生命健康", "张三", "１３８００１３８０００", "2018年6月1日"],
        ], ImportFiles.Gbk());
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, true).GetString(file));

        using var response = await admin.UploadAsync(file, "gbk.csv");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal("GB18030", report["encoding"]!.GetValue<string>());
        var firm = (await admin.GetJsonAsync($"/api/firms?q={code}"))["items"]![0]!;
        Assert.Equal("上海全角（徐汇）科技有限公司", firm.Str("name"));
        Assert.Equal("xuhui-riverside", firm.Str("zone"));
        Assert.Equal("life-health", firm.Str("industry"));
        Assert.Equal("2018-06-01", firm.Str("establishedOn"));
        var contacts = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/contacts");
        Assert.Equal("13800138000", contacts[0].Str("phone"));
        // Full-width search finds it too (the grams were written).
        Assert.Equal(1, (await admin.GetJsonAsync("/api/firms?q=全角(徐汇)"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_XLSX_with_a_title_row_merged_header_cells_and_empty_trailing_rows_is_understood()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var file = ImportFiles.Xlsx(
            [
                ["2026年徐汇区重点企业名单", null, null, null, null],
                ["企业名称", "统一社会信用代码", "行业", "联系人", null],
                [null, null, null, "姓名", "电话"],
                ["上海合并表头科技有限公司", code, "集成电路", "李四", "021-64870000"],
                [null, null, null, null, null],
                ["", "", "", "", ""],
            ],
            "A1:E1", "A2:A3", "B2:B3", "C2:C3", "D2:E2");

        using var response = await admin.UploadAsync(file, "名单.xlsx");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(3, report["headerRow"]!.GetValue<int>());
        Assert.Equal(1, report["counts"]!["rows"]!.GetValue<int>());
        Assert.Equal(1, report["counts"]!["create"]!.GetValue<int>());
        var firm = (await admin.GetJsonAsync($"/api/firms?q={code}"))["items"]![0]!;
        Assert.Equal("integrated-circuits", firm.Str("industry"));
        var contacts = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/contacts");
        Assert.Equal("李四", contacts[0].Str("name"));
        Assert.Equal("021-64870000", contacts[0].Str("phone"));
    }

    [Fact]
    public async Task Re_importing_the_same_file_changes_nothing_and_an_edited_cell_updates_only_that_field()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        string?[][] rows =
        [
            ["企业名称", "统一社会信用代码", "注册地址", "职工总数", "行业"],
            ["上海重导科技有限公司", code, "漕宝路1号", "120", "ai"],
        ];
        using (var first = await admin.UploadAsync(ImportFiles.Xlsx(rows), "a.xlsx"))
        {
            await first.ExpectAsync(HttpStatusCode.OK);
        }

        var firm = (await admin.GetJsonAsync($"/api/firms?q={code}"))["items"]![0]!;
        var before = await factory.RowCountsAsync();
        using (var again = await admin.UploadAsync(ImportFiles.Xlsx(rows), "a.xlsx"))
        {
            var report = (await again.ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(1, report["counts"]!["unchanged"]!.GetValue<int>());
        }

        var after = await factory.RowCountsAsync();
        Assert.Equal(before["AuditEntries"], after["AuditEntries"]);
        Assert.Equal(before["FirmSearchGrams"], after["FirmSearchGrams"]);
        Assert.Equal(firm.Version(), (await admin.GetJsonAsync($"/api/firms/{firm.Id()}")).Version());

        rows[1][3] = "150";
        using (var edited = await admin.UploadAsync(ImportFiles.Xlsx(rows), "a.xlsx"))
        {
            var report = (await edited.ExpectAsync(HttpStatusCode.OK))!;
            Assert.Equal(1, report["counts"]!["update"]!.GetValue<int>());
        }

        var now = await admin.GetJsonAsync($"/api/firms/{firm.Id()}");
        Assert.Equal(150, now["headcount"]!.GetValue<int>());
        Assert.Equal(firm.Version() + 1, now.Version());
        var audit = await admin.GetJsonAsync($"/api/firms/{firm.Id()}/audit");
        var changes = audit[0]!["changes"]!.AsArray();
        Assert.Single(changes);
        Assert.Equal("Headcount", changes[0]!["field"]!.GetValue<string>());
        Assert.Equal("120", changes[0]!["old"]!.GetValue<string>());
        Assert.Equal("150", changes[0]!["new"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("garbage.xlsx", "random")]
    [InlineData("broken.xlsx", "zip")]
    [InlineData("old.xls", "ole")]
    [InlineData("report.pdf", "pdf")]
    [InlineData("empty.csv", "empty")]
    [InlineData("noheader.csv", "noheader")]
    public async Task A_corrupt_or_non_spreadsheet_upload_gets_a_clear_400(string name, string kind)
    {
        using var admin = await factory.AdminAsync();
        var random = new byte[3000];
        new Random(42).NextBytes(random);
        byte[] bytes = kind switch
        {
            "random" => random,
            "zip" => [.. "PK\u0003\u0004"u8.ToArray(), .. random],
            "ole" => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. random],
            "pdf" => [.. "%PDF-1.7\n"u8.ToArray(), 0, 1, 2, .. random],
            "empty" => [],
            _ => Encoding.UTF8.GetBytes("甲,乙,丙\r\n1,2,3\r\n"),
        };
        using var response = await admin.UploadAsync(bytes, name);
        var problem = (await response.ExpectAsync(HttpStatusCode.BadRequest))!;
        Assert.NotEmpty(problem.ErrorsFor("file"));
    }

    [Fact]
    public async Task Unknown_columns_are_reported_and_an_explicit_mapping_can_be_saved_and_reused()
    {
        using var admin = await factory.AdminAsync();
        var code = ImportFiles.Code();
        var file = ImportFiles.Csv([
            ["公司", "代码", "备注", "员工"],
            ["上海映射科技有限公司", code, "随便写写", "12"],
        ]);
        using (var unmapped = await admin.UploadAsync(file, "office.csv", "?dryRun=true"))
        {
            await unmapped.ExpectAsync(HttpStatusCode.BadRequest);
        }

        using (var mapped = await admin.UploadAsync(file, "office.csv", "?dryRun=true",
            ("mapping", """{"代码":"creditCode","公司":"name","备注":"ignore"}"""), ("saveMappingAs", "枫林街道")))
        {
            var report = (await mapped.ExpectAsync(HttpStatusCode.OK))!;
            var columns = report["columns"]!.AsArray();
            Assert.Equal("ignored", columns.First(c => c!["header"]!.GetValue<string>() == "备注")!["status"]!.GetValue<string>());
            Assert.Equal("recognised", columns.First(c => c!["header"]!.GetValue<string>() == "员工")!["status"]!.GetValue<string>());
            Assert.Equal("create", Outcome(report, 2));
        }

        using (var reused = await admin.UploadAsync(file, "office.csv", "", ("mappingName", "枫林街道")))
        {
            await reused.ExpectAsync(HttpStatusCode.OK);
        }

        var firm = (await admin.GetJsonAsync($"/api/firms?q={code}"))["items"]![0]!;
        Assert.Equal(12, firm["headcount"]!.GetValue<int>());
        var mappings = await admin.GetJsonAsync("/api/imports/mappings");
        Assert.Contains(mappings.AsArray(), m => m!["name"]!.GetValue<string>() == "枫林街道");
    }

    [Fact]
    public async Task Officers_cannot_import()
    {
        var (_, officer) = await factory.UserAndClientAsync("officer");
        using (officer)
        {
            using var response = await officer.UploadAsync(ImportFiles.Csv([Header]), "a.csv");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }

    [Fact]
    public async Task One_hundred_thousand_rows_are_previewed_in_one_pass()
    {
        using var admin = await factory.AdminAsync();
        var rows = new List<string?[]> { Header };
        for (var i = 0; i < 100_000; i++)
        {
            rows.Add([$"上海十万科技有限公司{i}", ImportFiles.Code(i), $"龙华路{i}号", "2015-01-01", "漕河泾开发区", "ai"]);
        }

        var file = ImportFiles.Csv(rows);
        // Speed is the benchmark's business (ImportBenchmark): a time limit here only measured the machine's load.
        using var response = await admin.UploadAsync(file, "big.csv", "?dryRun=true");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        Assert.Equal(100_000, report["counts"]!["create"]!.GetValue<int>());
        Assert.Equal(ImportReportRowLimit, report["rows"]!.AsArray().Count);
        var run = await admin.GetJsonAsync($"/api/imports/{report["id"]}");
        Assert.Equal(100_000, run["rowsRead"]!.GetValue<int>());
        Assert.Equal(0, await factory.WithDbAsync(db => db.Firms.CountAsync(f => f.Name.StartsWith("上海十万"))));
    }

    private const int ImportReportRowLimit = 1000;
}
