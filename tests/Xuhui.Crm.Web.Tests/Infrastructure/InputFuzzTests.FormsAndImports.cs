using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Tests.Imports;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>Imports, direct saves and page forms, which reach the rules by other paths than the API bodies.</summary>
public sealed partial class InputFuzzTests
{
    [Fact]
    public async Task An_import_reports_control_characters_and_overlong_cells_as_row_errors_and_writes_none_of_them()
    {
        using var admin = await factory.AdminAsync();
        var file = ImportFiles.Csv([
            ["企业名称", "统一社会信用代码", "注册地址", "成立日期", "联系人"],
            ["上海控制字符科技有限公司", ImportFiles.Code(), "虹梅路\u00071号", null, null],
            [new string('企', 201), ImportFiles.Code(), null, null, null],
            ["上海长联系人科技有限公司", ImportFiles.Code(), null, null, new string('王', 101)],
            ["上海远古科技有限公司", ImportFiles.Code(), null, "0001-01-01", null],
            ["上海正常导入科技有限公司", ImportFiles.Code(), "虹梅路2号", "2020-05-01", "王五"],
        ]);
        var before = await factory.RowCountsAsync();

        using var response = await admin.UploadAsync(file, "firms.csv", "?dryRun=true");
        var report = (await response.ExpectAsync(HttpStatusCode.OK))!;
        var rows = report["rows"]!.AsArray();
        string Errors(int row) => string.Join(" | ", rows.First(r => r!["row"]!.GetValue<int>() == row)!["errors"]!.AsArray().Select(e => $"{e!["column"]}:{e["message"]}"));
        Assert.Contains("C:", Errors(2), StringComparison.Ordinal);
        Assert.Contains("A:", Errors(3), StringComparison.Ordinal);
        Assert.Contains("200", Errors(3), StringComparison.Ordinal);
        Assert.Contains("E:", Errors(4), StringComparison.Ordinal);
        Assert.Contains("100", Errors(4), StringComparison.Ordinal);
        Assert.Contains("D:", Errors(5), StringComparison.Ordinal);
        Assert.Equal(4, report["counts"]!["error"]!.GetValue<int>());
        Assert.Equal(1, report["counts"]!["create"]!.GetValue<int>());
        Assert.Equal(before["Firms"], (await factory.RowCountsAsync())["Firms"]);
    }

    [Fact]
    public async Task A_save_of_an_entity_built_past_the_edge_with_a_NUL_is_refused_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        var before = await factory.RowCountsAsync();

        // The last line of defence: an entity built past the edge rules still cannot be saved.
        var error = await Assert.ThrowsAsync<Web.Shared.InputRejectedException>(() => factory.WithDbAsync(async db =>
        {
            var firm = await db.Firms.FindAsync(firmId);
            firm!.Address = "地址\0";
            await db.SaveChangesAsync();
        }));
        Assert.True(error.Errors.ToDictionary().ContainsKey("address"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

    [Fact]
    public async Task A_page_form_post_with_a_control_character_or_overlong_text_is_a_400_naming_the_form_field_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        using var web = factory.CreateClient();
        var login = await web.GetStringAsync("/login");
        using (var signIn = await web.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = factory.AdminPassword, ["__RequestVerificationToken"] = Token(login),
        })))
        {
            Assert.True(signIn.IsSuccessStatusCode, $"sign-in: {signIn.StatusCode}");
        }

        var token = Token(await web.GetStringAsync($"/firms/{firmId}/contacts"));
        var before = await factory.RowCountsAsync();
        foreach (var (field, value) in new[] { ("Form.Name", "张\u0001三"), ("Form.Name", new string('王', 101)), ("Form.Title", "经理\u001f"), ("Form.WeChat", "wx\u0085id") })
        {
            var form = new Dictionary<string, string> { ["Form.Name"] = "张三", ["__RequestVerificationToken"] = token };
            form[field] = value;
            using var response = await web.PostAsync($"/firms/{firmId}/contacts", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(body.Contains(field, StringComparison.Ordinal), body);
        }

        // A NUL the form reader itself refuses: still a 400, still nothing written.
        var nul = new Dictionary<string, string> { ["Form.Name"] = "张\0三", ["__RequestVerificationToken"] = token };
        using (var refused = await web.PostAsync($"/firms/{firmId}/contacts", new FormUrlEncodedContent(nul)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        Assert.Equal(before, await factory.RowCountsAsync());
    }

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the page");

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
}
