using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Imports;

/// <summary>The officers' web app: preview then commit on /imports, and the firm list's export link, with the sign-in cookie.</summary>
public sealed partial class ImportPageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Csrf();

    [GeneratedRegex("name=\"Token\" value=\"([0-9a-f]{32})\"")]
    private static partial Regex Token();

    private async Task<HttpClient> SignedInAsync()
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.GetStringAsync("/login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = factory.AdminPassword, ["__RequestVerificationToken"] = Csrf().Match(login).Groups[1].Value,
        });
        using var response = await client.PostAsync("/login", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    [Fact]
    public async Task A_supervisor_previews_then_commits_a_file_and_downloads_the_firm_list()
    {
        using var client = await SignedInAsync();
        var page = await client.GetStringAsync("/imports");
        var code = ImportFiles.Code();
        var file = ImportFiles.Csv([["企业名称", "统一社会信用代码", "行业"], ["上海网页导入有限公司", code, "人工智能"]]);

        using var upload = new MultipartFormDataContent
        {
            { new StringContent(Csrf().Match(page).Groups[1].Value), "__RequestVerificationToken" },
            { new ByteArrayContent(file), "Upload", "firms.csv" },
        };
        using var preview = await client.PostAsync("/imports?handler=Preview", upload);
        var previewHtml = await preview.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        Assert.Contains("上海网页导入有限公司", previewHtml, StringComparison.Ordinal);
        Assert.Contains("新建 1", previewHtml, StringComparison.Ordinal);

        using var commit = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = Csrf().Match(previewHtml).Groups[1].Value,
            ["Token"] = Token().Match(previewHtml).Groups[1].Value,
            ["FileName"] = "firms.csv",
        });
        using var committed = await client.PostAsync("/imports?handler=Commit", commit);
        Assert.Equal(HttpStatusCode.Redirect, committed.StatusCode);

        var list = await client.GetStringAsync($"/firms?q={code}");
        Assert.Contains("上海网页导入有限公司", list, StringComparison.Ordinal);
        Assert.Contains($"/exports/firms?q={code}&amp;format=csv", list, StringComparison.Ordinal);
        using var export = await client.GetAsync($"/exports/firms?q={code}&format=csv");
        var csv = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync());
        Assert.Contains("上海网页导入有限公司", csv, StringComparison.Ordinal);
        Assert.Contains("人工智能", csv, StringComparison.Ordinal);
    }
}
