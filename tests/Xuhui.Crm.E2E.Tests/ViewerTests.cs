using System.Net;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class ViewerTests(CrmApp app)
{
    [Fact]
    public async Task A_viewer_sees_no_edit_buttons_and_the_server_refuses_the_posts_anyway()
    {
        const string firmName = "上海枫林生物医药研究有限公司";
        var (firmId, caseId) = await app.CreateFirmAsync(firmName, app.OfficerId);
        var page = await app.SignInAsync("zhaolei");

        await page.GotoAsync($"/firms/{firmId}");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "编辑企业信息" }).CountAsync());
        Assert.Equal(0, await page.Locator("main").GetByRole(AriaRole.Link, new() { Name = "记录走访" }).CountAsync());
        await Assertions.Expect(page.GetByText("联系方式已隐藏")).ToBeVisibleAsync();
        Assert.Contains("138****5678", await page.Locator("#h-contacts + p + ul").InnerTextAsync());
        Assert.DoesNotContain("13812345678", await page.ContentAsync(), StringComparison.Ordinal);
        await page.ShotAsync("viewer-firm");

        await page.GotoAsync($"/cases/{caseId}");
        Assert.Equal(0, await page.Locator(".moves button").CountAsync());
        await page.GotoAsync("/pipelines?program=hnte");
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = $"将「{firmName}」移至「申报准备」" }).CountAsync());

        // Crafted posts with a valid antiforgery token are refused by the server.
        var token = await page.AntiforgeryTokenAsync();
        var move = await page.APIRequest.PostAsync($"/cases/{caseId}/move", new()
        {
            Form = page.APIRequest.CreateFormData().Append("from", "nurturing").Append("to", "preparing").Append("__RequestVerificationToken", token),
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, move.Status);
        var visit = await page.APIRequest.PostAsync("/visits/new", new()
        {
            Form = page.APIRequest.CreateFormData().Append("Form.FirmId", firmId.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append("Form.On", "2026-11-20").Append("Form.Kind", "Phone").Append("__RequestVerificationToken", token),
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, visit.Status);
        var edit = await page.APIRequest.PostAsync($"/firms/{firmId}/edit", new()
        {
            Form = page.APIRequest.CreateFormData().Append("Version", "1").Append("Form.Name", "改名").Append("__RequestVerificationToken", token),
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, edit.Status);

        Assert.Equal("nurturing", (await app.GetAsync($"/api/cases/{caseId}"))["stage"]!.GetValue<string>());
        Assert.Equal(firmName, (await app.GetAsync($"/api/firms/{firmId}"))["name"]!.GetValue<string>());
        Assert.Equal(0, (await app.GetAsync($"/api/visits?firmId={firmId}"))["total"]!.GetValue<int>());
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Posts_without_an_antiforgery_token_are_rejected()
    {
        var (_, caseId) = await app.CreateFirmAsync("上海漕河泾无令牌测试有限公司", app.OfficerId);
        var page = await app.SignInAsync("wangfang");
        var move = await page.APIRequest.PostAsync($"/cases/{caseId}/move", new()
        {
            Form = page.APIRequest.CreateFormData().Append("from", "nurturing").Append("to", "preparing"),
        });
        Assert.Equal((int)HttpStatusCode.BadRequest, move.Status);
        Assert.Equal("nurturing", (await app.GetAsync($"/api/cases/{caseId}"))["stage"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }
}
