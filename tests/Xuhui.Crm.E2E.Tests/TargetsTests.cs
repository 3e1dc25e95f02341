using System.Globalization;
using System.Net;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class TargetsTests(CrmApp app)
{
    [Fact]
    public async Task An_officer_enters_a_certificate_and_an_admin_entering_legal_person_counts_changes_the_hnte_per_10k_figure()
    {
        const string firmName = "上海徐汇光启量子测量技术有限公司";
        var (firmId, caseId) = await app.CreateFirmAsync(firmName, app.OfficerId, "certified");

        // The officer enters the certificate on the case; a wrong expiry is refused on its field and loses nothing.
        var officer = await app.SignInAsync("wangfang");
        await officer.GotoAsync($"/cases/{caseId}");
        await officer.GetByRole(AriaRole.Link, new() { Name = "录入证书" }).ClickAsync();
        await officer.GetByLabel("证书编号").FillAsync("GR202331000123");
        await officer.GetByLabel("发证日期").FillAsync("2023-12-10");
        await officer.GetByLabel("有效期至").FillAsync("2023-01-01");
        await officer.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(officer.Locator("[data-valmsg-for='Form.ExpiresOn']")).ToContainTextAsync("有效期截止日应晚于发证日期");
        Assert.Equal("GR202331000123", await officer.GetByLabel("证书编号").InputValueAsync());
        await officer.ShotAsync("certificate-error");
        // Left empty, an HNTE certificate runs to the day before the third anniversary: lapsing this December.
        await officer.GetByLabel("有效期至").FillAsync(string.Empty);
        await officer.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await officer.WaitForURLAsync($"**/cases/{caseId}");
        await Assertions.Expect(officer.GetByRole(AriaRole.Status)).ToContainTextAsync("证书 GR202331000123 已保存");
        await Assertions.Expect(officer.Locator("dl.facts")).ToContainTextAsync("2026年12月9日");
        var stored = await app.GetAsync($"/api/cases/{caseId}");
        Assert.Equal("2026-12-09", stored["certificateExpiresOn"]!.GetValue<string>());
        await officer.Context.CloseAsync();

        // Without any legal-person count the per-10k figure cannot be computed, and says so.
        var admin = await app.SignInAsync("admin", CrmApp.AdminPassword);
        await admin.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "规划指标" }).ClickAsync();
        var hnte = admin.Locator("[data-figure='hnte-per-10k']");
        await Assertions.Expect(hnte.Locator("[data-value]")).ToHaveTextAsync("—");
        await Assertions.Expect(hnte).ToContainTextAsync("尚未录入：无法计算每万户数");
        var firms = int.Parse(await hnte.Locator("[data-firms]").GetAttributeAsync("data-firms") ?? "0", CultureInfo.InvariantCulture);
        Assert.True(firms >= 1, $"the certified firm should count, found {firms}");
        // The certificate lapses before year end: listed, linked to the firm.
        var lapsing = admin.Locator("section[aria-labelledby='h-lapsing']");
        await Assertions.Expect(lapsing.GetByRole(AriaRole.Link, new() { Name = firmName })).ToHaveAttributeAsync("href", $"/firms/{firmId}");
        await Assertions.Expect(admin.Locator("[data-projection='hnte']")).ToContainTextAsync("数据不足");

        // Last year's count stands in for this year's, marked provisional.
        var year = int.Parse(await admin.Locator("#asOf").InputValueAsync() is { } d ? d[..4] : "0", CultureInfo.InvariantCulture);
        await admin.GetByRole(AriaRole.Link, new() { Name = "企业法人数" }).First.ClickAsync();
        await EnterCountAsync(admin, year - 1, 50_000, "徐汇区统计年鉴");
        await admin.ShotAsync("legal-persons");
        await Assertions.Expect(admin.Locator("[data-this-year]")).ToContainTextAsync($"{year} 年数据尚未录入，暂用 {year - 1} 年数据");
        await admin.GotoAsync("/targets");
        await Assertions.Expect(hnte.Locator("[data-value]")).ToHaveTextAsync(Per10k(firms, 50_000));
        await Assertions.Expect(hnte.Locator("[data-provisional]")).ToBeVisibleAsync();

        // This year's count: the figure changes and is no longer provisional.
        await admin.GotoAsync("/targets/legal-persons");
        await EnterCountAsync(admin, year, 40_000, "徐汇区统计局快报");
        await Assertions.Expect(admin.Locator($"tr[data-year='{year}']")).ToContainTextAsync("40,000");
        await admin.GotoAsync("/targets");
        await Assertions.Expect(hnte.Locator("[data-value]")).ToHaveTextAsync(Per10k(firms, 40_000));
        await Assertions.Expect(hnte.Locator("[data-provisional]")).ToHaveCountAsync(0);
        await Assertions.Expect(admin.Locator("[data-indicator='hnte-per-10k'] [data-value]")).ToHaveTextAsync(Per10k(firms, 40_000));
        await admin.ShotAsync("targets");

        // An as-of date before the certificate was issued counts one firm fewer.
        await admin.GetByLabel("截至日期").FillAsync("2023-12-01");
        await admin.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Assertions.Expect(admin.Locator("main > p.muted").First).ToContainTextAsync("截至 2023年12月1日");
        var earlier = int.Parse(await hnte.Locator("[data-firms]").GetAttributeAsync("data-firms") ?? "-1", CultureInfo.InvariantCulture);
        Assert.True(earlier < firms, $"as of 2023-12-01 the certificate issued 2023-12-10 must not count ({earlier} vs {firms})");
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_enters_an_indicator_value_with_a_bad_period_sees_the_error_then_the_value_on_the_targets_page()
    {
        var admin = await app.SignInAsync("admin", CrmApp.AdminPassword);
        await admin.GotoAsync("/targets/data");
        await admin.Locator("#Entry_Code").SelectOptionAsync("tech-contract-ratio");
        await admin.GetByLabel("期间").FillAsync("2025-13");
        await admin.GetByLabel("数值").FillAsync("7.9");
        await admin.GetByLabel("数据来源").FillAsync("区统计局");
        await admin.Locator("form[action*='Value'] button").ClickAsync();
        await Assertions.Expect(admin.Locator("[data-valmsg-for='Entry.Period']")).ToContainTextAsync("期间应为 YYYY、YYYY-Qn 或 YYYY-MM");
        Assert.Equal("7.9", await admin.GetByLabel("数值").InputValueAsync());
        await admin.GetByLabel("期间").FillAsync("2025");
        await admin.Locator("form[action*='Value'] button").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("已保存");

        // An interim target for this year replaces the plan's 2025 target in the progress.
        var year = DateTime.UtcNow.AddHours(8).Year;
        await admin.Locator("#Goal_Code").SelectOptionAsync("tech-contract-ratio");
        await admin.GetByLabel("年份").FillAsync(year.ToString(CultureInfo.InvariantCulture));
        await admin.GetByLabel("目标值").FillAsync("10");
        await admin.Locator("form[action*='Target'] button").ClickAsync();
        await Assertions.Expect(admin.GetByRole(AriaRole.Status)).ToContainTextAsync("年目标");
        await admin.ShotAsync("targets-data");

        await admin.GotoAsync("/targets");
        var row = admin.Locator("[data-indicator='tech-contract-ratio']");
        await Assertions.Expect(row.Locator("[data-value]")).ToHaveTextAsync("7.9");
        await Assertions.Expect(row.Locator("[data-progress]")).ToHaveTextAsync("79%");
        await Assertions.Expect(row.GetByRole(AriaRole.Img)).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("当前 7.9，年度目标 10，2025 年目标 8"));
        await admin.Context.CloseAsync();
    }

    [Fact]
    public async Task A_viewer_reads_the_targets_but_cannot_enter_data_even_by_a_crafted_post()
    {
        var viewer = await app.SignInAsync("zhaolei");
        await viewer.GotoAsync("/targets");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("规划指标");
        Assert.Equal(0, await viewer.GetByRole(AriaRole.Link, new() { Name = "录入指标数据" }).CountAsync());
        var token = await viewer.AntiforgeryTokenAsync();
        var response = await viewer.APIRequest.PostAsync("/targets/legal-persons", new()
        {
            Form = viewer.APIRequest.CreateFormData().Append("Form.Year", "2019").Append("Form.Count", "1").Append("Form.Source", "伪造")
                .Append("__RequestVerificationToken", token),
            MaxRedirects = 0,
        });
        Assert.Contains(response.Status, new[] { (int)HttpStatusCode.Forbidden, (int)HttpStatusCode.Redirect });
        if (response.Status == (int)HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/forbidden", new Uri(new Uri(app.BaseUrl), response.Headers["location"]).AbsolutePath, StringComparison.Ordinal);
        }

        var counts = await app.Admin.GetStringAsync("/api/statistics/enterprise-legal-persons");
        Assert.DoesNotContain("2019", counts, StringComparison.Ordinal);
        await viewer.Context.CloseAsync();
    }

    private static async Task EnterCountAsync(IPage page, int year, int count, string source)
    {
        await page.GetByLabel("年份").FillAsync(year.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("企业法人数").FillAsync(count.ToString(CultureInfo.InvariantCulture));
        await page.GetByLabel("数据来源").FillAsync(source);
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{year} 年企业法人数已保存");
    }

    private static string Per10k(int firms, int legalPersons) =>
        Math.Round(firms * 10_000.0 / legalPersons, 2, MidpointRounding.AwayFromZero).ToString("#,0.##", CultureInfo.InvariantCulture);
}
