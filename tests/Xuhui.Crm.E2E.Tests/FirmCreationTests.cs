using System.Net.Http.Json;
using Microsoft.Playwright;
using Xuhui.Crm.Domain.Firms;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class FirmCreationTests(CrmApp app)
{
    [Fact]
    public async Task An_officer_creates_a_firm_fixes_the_check_character_named_on_the_field_and_adds_a_contact_others_see_masked()
    {
        const string firmName = "上海徐汇云帆数据科技有限公司";
        const string first17 = "91310104800000017";
        var expected = CreditCode.ComputeCheckCharacter(first17);
        var wrong = expected == 'A' ? 'B' : 'A';

        var page = await app.SignInAsync("wangfang");
        await page.GotoAsync("/firms");
        await page.GetByRole(AriaRole.Link, new() { Name = "新建企业" }).ClickAsync();
        await page.GetByLabel("企业名称").FillAsync(firmName);
        await page.GetByLabel("统一社会信用代码").FillAsync(first17 + wrong);
        await page.GetByLabel("功能区").SelectOptionAsync("xuhui-riverside");
        await page.GetByLabel("员工人数").FillAsync("85");
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();

        // The error sits on the field, names the expected character, and nothing typed is lost.
        var error = page.Locator("#err-CreditCode");
        await Assertions.Expect(error).ToHaveTextAsync($"校验位应为 {expected}");
        await Assertions.Expect(page.GetByLabel("统一社会信用代码")).ToHaveAttributeAsync("aria-describedby", "err-CreditCode");
        Assert.Equal(firmName, await page.GetByLabel("企业名称").InputValueAsync());
        Assert.Equal("85", await page.GetByLabel("员工人数").InputValueAsync());
        Assert.Equal("xuhui-riverside", await page.GetByLabel("功能区").InputValueAsync());
        await page.ShotAsync("firm-new-error");

        await page.GetByLabel("统一社会信用代码").FillAsync(first17 + expected);
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await page.WaitForURLAsync(u => System.Text.RegularExpressions.Regex.IsMatch(u, @"/firms/\d+$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"已新建企业「{firmName}」");
        var firmUrl = new Uri(page.Url).AbsolutePath;
        var firmId = long.Parse(firmUrl.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var firm = await app.GetAsync($"/api/firms/{firmId}");
        Assert.Equal(app.OfficerId, firm["leadOfficerId"]!.GetValue<long>());

        // Add a contact: a bad email is refused on its field, then saved in full for the firm's officer.
        await page.GetByRole(AriaRole.Link, new() { Name = "添加联系人" }).ClickAsync();
        await page.GetByLabel("姓名").FillAsync("周敏");
        await page.GetByLabel("职务").FillAsync("研发总监");
        await page.GetByLabel("电话").FillAsync("13698765432");
        await page.GetByLabel("电子邮箱").FillAsync("zhoumin.example.cn");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-valmsg-for='Form.Email']")).ToContainTextAsync("邮箱格式无效");
        await page.GetByLabel("电子邮箱").FillAsync("zhoumin@example.cn");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await page.WaitForURLAsync($"**{firmUrl}#h-contacts");
        var contacts = page.Locator("section[aria-labelledby='h-contacts']");
        await Assertions.Expect(contacts).ToContainTextAsync("13698765432");

        // Edit it.
        await contacts.GetByRole(AriaRole.Link, new() { Name = "编辑联系人 周敏" }).ClickAsync();
        await page.GetByLabel("职务").FillAsync("副总经理");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await page.WaitForURLAsync($"**{firmUrl}#h-contacts");
        await Assertions.Expect(contacts).ToContainTextAsync("副总经理");
        await page.ShotAsync("firm-new-contact");
        await page.Context.CloseAsync();

        // Another officer and a viewer get the details masked, in the HTML too, and no way to edit.
        foreach (var user in new[] { "lisi", "zhaolei" })
        {
            var other = await app.SignInAsync(user);
            await other.GotoAsync(firmUrl);
            await Assertions.Expect(other.Locator("section[aria-labelledby='h-contacts']")).ToContainTextAsync("136****5432");
            var html = await other.ContentAsync();
            Assert.DoesNotContain("13698765432", html, StringComparison.Ordinal);
            Assert.DoesNotContain("zhoumin@", html, StringComparison.Ordinal);
            Assert.Equal(0, await other.GetByRole(AriaRole.Link, new() { Name = "添加联系人" }).CountAsync());
            var contactId = (await app.Admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonArray>($"/api/firms/{firmId}/contacts"))![0]!["id"]!.GetValue<long>();
            var response = await other.GotoAsync($"/firms/{firmId}/contacts/{contactId}");
            Assert.Equal(403, response!.Status);
            Assert.DoesNotContain("13698765432", await other.ContentAsync(), StringComparison.Ordinal);
            await other.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_stale_certificate_edit_shows_the_current_certificate_and_re_applies_mine()
    {
        var (_, caseId) = await app.CreateFirmAsync("上海徐汇凌云航空材料有限公司", app.OfficerId, "certified");
        var page = await app.SignInAsync("wangfang");
        await page.GotoAsync($"/cases/{caseId}/certificate");
        await page.GetByLabel("证书编号").FillAsync("GR202431000777");
        await page.GetByLabel("发证日期").FillAsync("2024-11-19");

        // Meanwhile a colleague enters another number.
        var version = (await app.GetAsync($"/api/cases/{caseId}"))["version"]!.GetValue<int>();
        await app.SendAsync(HttpMethod.Put, $"/api/cases/{caseId}/certificate", new { version, number = "GR202431000555", issuedOn = "2024-11-19" });

        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "已被他人修改" })).ToContainTextAsync("GR202431000555");
        Assert.Equal("GR202431000777", await page.GetByLabel("证书编号").InputValueAsync());
        await page.ShotAsync("certificate-conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "保存" }).ClickAsync();
        await page.WaitForURLAsync($"**/cases/{caseId}");
        Assert.Equal("GR202431000777", (await app.GetAsync($"/api/cases/{caseId}"))["certificateNumber"]!.GetValue<string>());
        await page.Context.CloseAsync();
    }
}
