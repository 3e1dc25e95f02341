using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed partial class OfficerJourneyTests(CrmApp app)
{
    [Fact]
    public async Task An_officer_finds_a_firm_logs_a_visit_completes_the_follow_up_and_moves_the_case()
    {
        const string firmName = "上海徐汇星辰智能科技有限公司";
        const string followUp = "提交研发费用专项审计报告";
        var (firmId, caseId) = await app.CreateFirmAsync(firmName, app.OfficerId);
        var page = await app.SignInAsync("wangfang");

        // Find the firm by a Chinese substring, search as you type.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "主导航" }).GetByRole(AriaRole.Link, new() { Name = "企业" }).ClickAsync();
        await page.GetByLabel("搜索企业名称或统一社会信用代码").FillAsync("星辰智能");
        var result = page.Locator("#results").GetByRole(AriaRole.Link, new() { Name = firmName });
        await Assertions.Expect(page.Locator("#results tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#results")).ToContainTextAsync("共 1 家企业");
        Assert.Contains("q=", page.Url, StringComparison.Ordinal); // the address follows the search
        await page.ShotAsync("firms-search");
        await result.ClickAsync();

        // Open its HNTE case.
        await page.WaitForURLAsync($"**/firms/{firmId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "高新技术企业" }).ClickAsync();
        await page.WaitForURLAsync($"**/cases/{caseId}");
        Assert.Equal("培育", await page.Locator("[data-stage]").First.InnerTextAsync());

        // Log a visit with a follow-up due today.
        await page.GetByRole(AriaRole.Link, new() { Name = "记录走访" }).Last.ClickAsync();
        await page.GetByLabel("走访纪要").FillAsync("与财务总监讨论高企申报材料准备情况，研发费用归集基本到位。");
        await page.GetByLabel("企业诉求").FillAsync("希望区里协助对接专项审计机构。");
        await page.GetByLabel("陈静").CheckAsync();
        await page.GetByLabel("事项 1").FillAsync(followUp);
        await page.GetByLabel("截止日期").First.FillAsync(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await page.ShotAsync("visit-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存走访" }).ClickAsync();
        await page.WaitForURLAsync($"**/firms/{firmId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已记录走访");
        await page.ShotAsync("firm-detail");

        // See the follow-up on My day and complete it in place.
        await page.GetByRole(AriaRole.Link, new() { Name = "我的工作台" }).ClickAsync();
        var complete = page.GetByRole(AriaRole.Button, new() { Name = $"完成：{followUp}" });
        await Assertions.Expect(complete).ToBeVisibleAsync();
        Assert.Matches(ChineseDate(), await page.Locator("main > p.muted").First.InnerTextAsync());
        await page.ShotAsync("my-day");
        var url = page.Url;
        await complete.ClickAsync();
        await Assertions.Expect(complete).ToHaveCountAsync(0);
        Assert.Equal(url, page.Url); // in place: no navigation
        await Assertions.Expect(page.Locator("#live-status")).ToContainTextAsync("已完成");
        var tasks = await app.GetAsync($"/api/tasks?firmId={firmId}");
        Assert.Equal("done", tasks["items"]![0]!["status"]!.GetValue<string>());

        // Move the case to the next stage on the board; the counts follow.
        await page.GotoAsync("/pipelines?program=hnte");
        var nurturing = await CountAsync(page, "nurturing");
        var preparing = await CountAsync(page, "preparing");
        await page.GetByRole(AriaRole.Button, new() { Name = $"将「{firmName}」移至「申报准备」" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("已移至「申报准备」");
        Assert.Equal(nurturing - 1, await CountAsync(page, "nurturing"));
        Assert.Equal(preparing + 1, await CountAsync(page, "preparing"));
        await page.ShotAsync("pipeline");
        Assert.Equal("preparing", (await app.GetAsync($"/api/cases/{caseId}"))["stage"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }

    private static async Task<int> CountAsync(IPage page, string stage) =>
        int.Parse(await page.Locator($"section[data-stage='{stage}'] .count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d{4}年\d{1,2}月\d{1,2}日")]
    private static partial Regex ChineseDate();
}
