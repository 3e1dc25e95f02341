using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class ConflictTests(CrmApp app)
{
    [Fact]
    public async Task A_stale_edit_shows_what_changed_and_re_applies_only_the_officers_changes()
    {
        var (firmId, _) = await app.CreateFirmAsync("上海华泾新材料有限公司", app.OfficerId);
        var page = await app.SignInAsync("wangfang");
        await page.GotoAsync($"/firms/{firmId}/edit");
        await page.GetByLabel("英文名称").FillAsync("Huajing New Materials Co., Ltd.");

        // Meanwhile a supervisor changes the address and headcount.
        var firm = await app.GetAsync($"/api/firms/{firmId}");
        firm["address"] = "上海市徐汇区华泾路1号";
        firm["headcount"] = 150;
        await app.SendAsync(HttpMethod.Put, $"/api/firms/{firmId}", firm);

        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        var conflict = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "在你编辑期间，企业信息已被他人修改" });
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("tr[data-field=Address]")).ToContainTextAsync("上海市徐汇区华泾路1号");
        await Assertions.Expect(page.Locator("tr[data-field=Headcount]")).ToContainTextAsync("150");
        await Assertions.Expect(page.GetByLabel("英文名称")).ToHaveValueAsync("Huajing New Materials Co., Ltd.");
        await Assertions.Expect(page.GetByLabel("地址")).ToHaveValueAsync("上海市徐汇区华泾路1号");
        await page.ShotAsync("firm-edit-conflict");

        await page.GetByRole(AriaRole.Button, new() { Name = "重新提交我的修改" }).ClickAsync();
        await page.WaitForURLAsync($"**/firms/{firmId}");
        var saved = await app.GetAsync($"/api/firms/{firmId}");
        Assert.Equal("Huajing New Materials Co., Ltd.", saved["englishName"]!.GetValue<string>());
        Assert.Equal("上海市徐汇区华泾路1号", saved["address"]!.GetValue<string>());
        Assert.Equal(150, saved["headcount"]!.GetValue<int>());
        await page.Context.CloseAsync();
    }
}
