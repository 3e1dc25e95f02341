using System.Globalization;
using System.IO.Compression;
using Microsoft.Playwright;
using MiniExcelLibs;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class ReportsTests(CrmApp app)
{
    [Fact]
    public async Task A_viewer_reads_the_month_in_every_section_and_downloads_a_real_workbook()
    {
        const string firmName = "上海徐汇汇智芯片设计有限公司";
        var (firmId, _) = await app.CreateFirmAsync(firmName, app.OfficerId, "submitted");
        // One request raised today: the requests section counts it among the month's new ones.
        await app.SendAsync(HttpMethod.Post, "/api/requests", new { firmId, category = "space", description = "需要扩租办公面积800平方米", channel = "phone" });
        var month = DateTime.UtcNow.AddHours(8).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var page = await app.SignInAsync("zhaolei");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "月度报告" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("月度报告");

        // The running month: live, with this firm's case in the HNTE "submitted" column.
        await page.GetByLabel("月份").FillAsync(month);
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await page.WaitForURLAsync($"**/reports?month={month}");
        await Assertions.Expect(page.Locator("[data-report-month]")).ToContainTextAsync("实时计算（未冻结）");
        var sections = await page.Locator("[data-section]").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.section)");
        Assert.Equal(["pipeline", "wins", "stalled", "time-in-stage", "visits", "follow-ups", "requests", "indicators"], sections);
        await Assertions.Expect(page.Locator("[data-section='requests'] [data-raised]")).ToHaveTextAsync("1");
        var submitted = page.Locator("[data-program='hnte'] tr[data-stage='submitted'] td.num");
        Assert.True(int.Parse(await submitted.InnerTextAsync(), CultureInfo.InvariantCulture) >= 1);
        await Assertions.Expect(page.Locator("[data-indicator]")).ToHaveCountAsync(10);
        // The chart is the email's PNG, served under the page's cookie.
        var chart = page.Locator("img.chart");
        await chart.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(chart).ToHaveJSPropertyAsync("complete", true);
        Assert.True(await chart.EvaluateAsync<int>("img => img.naturalWidth") > 0, "the chart image did not load");
        await page.ShotAsync("report");

        // The workbook through the page (the API would want a bearer token): a real XLSX with the report's sheets.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "下载工作簿 (XLSX)" }).ClickAsync());
        var path = Path.Combine(CrmApp.Artifacts, "report-" + month + ".xlsx");
        await download.SaveAsAsync(path);
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.NotNull(zip.GetEntry("[Content_Types].xml"));
            Assert.NotNull(zip.GetEntry("xl/workbook.xml"));
        }

        var sheets = MiniExcel.GetSheetNames(path);
        Assert.Contains("概览", sheets);
        Assert.Contains("指标进度", sheets);
        var stages = MiniExcel.Query(path, sheetName: "阶段分布").Cast<IDictionary<string, object?>>().ToList();
        Assert.NotEmpty(stages);

        // A month that has not started is refused on the field, and the page still stands.
        var next = DateTime.UtcNow.AddHours(8).AddMonths(2).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await page.GotoAsync($"/reports?month={next}");
        await Assertions.Expect(page.Locator("#month-error")).ToContainTextAsync("月份尚未开始");
        Assert.Equal(0, await page.Locator("[data-section]").CountAsync());
        await page.Context.CloseAsync();
    }
}
