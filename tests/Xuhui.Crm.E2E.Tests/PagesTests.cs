using System.Net;
using Microsoft.Playwright;

namespace Xuhui.Crm.E2E.Tests;

[Collection(CrmCollection.Name)]
public sealed class PagesTests(CrmApp app)
{
    [Theory]
    [InlineData(1280, "desktop")]
    [InlineData(390, "phone")]
    public async Task Every_main_page_passes_the_accessibility_scan_and_never_scrolls_sideways(int width, string label)
    {
        var (firmId, caseId) = await app.CreateFirmAsync($"上海徐汇滨江长名称人工智能与生命健康科技发展有限公司{label}", app.OfficerId);
        await app.SendAsync(HttpMethod.Post, "/api/tasks", new { firmId, title = "准备高企申报材料清单", dueOn = "2026-11-20", assigneeId = 1 });
        var page = await app.SignInAsync("admin", CrmApp.AdminPassword, width, 860);
        var pages = new (string Name, string Url)[]
        {
            ("my-day", "/"),
            ("firms", "/firms"),
            ("firm-detail", $"/firms/{firmId}"),
            ("case", $"/cases/{caseId}"),
            ("firm-edit", $"/firms/{firmId}/edit"),
            ("log-visit", $"/visits/new?firmId={firmId}"),
            ("pipeline", "/pipelines?program=hnte"),
            ("admin-users", "/admin/users"),
            ("admin-jobs", "/admin/jobs"),
            ("admin-outbox", "/admin/outbox"),
            ("reminder-settings", "/settings/reminders"),
            ("targets", "/targets"),
            ("targets-data", "/targets/data"),
            ("legal-persons", "/targets/legal-persons"),
            ("report", "/reports"),
            ("firm-new", "/firms/new"),
            ("contact-new", $"/firms/{firmId}/contacts"),
            ("certificate", $"/cases/{caseId}/certificate"),
        };
        foreach (var (name, url) in pages)
        {
            var response = await page.GotoAsync(url);
            Assert.Equal(200, response!.Status);
            await page.ShotAsync($"{label}-{name}");
            await page.AssertAccessibleAsync();
            await page.AssertNoSidewaysScrollAsync();
        }

        await page.Context.CloseAsync();
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl, ViewportSize = new() { Width = width, Height = 700 } });
        var login = await context.NewPageAsync();
        await login.GotoAsync("/login");
        await login.ShotAsync($"{label}-login");
        await login.AssertAccessibleAsync();
        await login.AssertNoSidewaysScrollAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task The_switch_turns_the_pages_into_English_with_English_dates()
    {
        var page = await app.SignInAsync("wangfang");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("我的工作台");
        await page.GetByRole(AriaRole.Button, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("My day");
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Matches(@"\d{1,2} [A-Z][a-z]{2} \d{4}", await page.Locator("main > p.muted").First.InnerTextAsync());
        await page.ShotAsync("english-my-day");
        await page.GotoAsync("/pipelines?program=hnte");
        await page.ShotAsync("english-pipeline");
        await page.GetByRole(AriaRole.Button, new() { Name = "中文" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("培育管道");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task The_api_answers_401_without_a_token_even_with_a_page_cookie_while_pages_redirect_to_login()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.BaseUrl) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/firms")).StatusCode);
        var redirect = await anonymous.GetAsync("/firms");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/login", redirect.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var page = await app.SignInAsync("wangfang");
        var api = await page.APIRequest.GetAsync("/api/firms", new() { MaxRedirects = 0 });
        Assert.Equal(401, api.Status);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_the_web_login_as_for_the_api()
    {
        await app.CreateUserAsync("sunli", "孙丽", "officer");
        var context = await app.Browser.NewContextAsync(new() { BaseURL = app.BaseUrl });
        var page = await context.NewPageAsync();
        for (var i = 0; i < 5; i++)
        {
            await page.GotoAsync("/login");
            await page.GetByLabel("用户名").FillAsync("sunli");
            await page.GetByLabel("密码").FillAsync("wrong-password");
            await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("用户名或密码错误");
        }

        await page.GetByLabel("用户名").FillAsync("sunli");
        await page.GetByLabel("密码").FillAsync(CrmApp.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        // Locked: the right password is refused with the same message as a wrong one, so the page does not reveal the lock.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("用户名或密码错误");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/login"));
        using var api = new HttpClient { BaseAddress = new Uri(app.BaseUrl) };
        var response = await api.PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new { userName = "sunli", password = CrmApp.Password }));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await context.CloseAsync();
    }
}
