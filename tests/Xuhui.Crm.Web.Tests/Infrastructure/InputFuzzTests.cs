using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Tests.Imports;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>
/// Text, dates and numbers a client writes are held to one set of rules on every write endpoint, on both providers:
/// control characters, text over the model's column length (or the general bound), dates outside 1900–2100 and numbers
/// outside their domain are a 400 naming the field, nothing is written, and nothing answers 500.
/// </summary>
public sealed partial class InputFuzzTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    private sealed record Target(string Method, string Url, Func<JsonObject> Body, string[] Texts, string[] Dates, HttpStatusCode Ok);

    private static readonly string[] BadTexts =
    [
        "名称\0含空字符", "\0", "含\u0001控制", "\u001b[31m红色", "\u007f删除", new string('长', 20_001), new string('x', 1_000_000),
    ];

    private static readonly string[] BadDates = ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"];

    private static JsonObject Nested(JsonObject body, string path, JsonNode? value)
    {
        // "followUps[0].title": the first element of the array member, then its field.
        var parts = path.Split('.');
        JsonNode node = body;
        foreach (var part in parts[..^1])
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            node = bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }

        node[parts[^1]] = value;
        return body;
    }

    private async Task<List<Target>> TargetsAsync(HttpClient admin)
    {
        var firm = await admin.CreateFirmAsync();
        var firmId = firm.Id();
        var contact = await admin.PostJsonAsync($"/api/firms/{firmId}/contacts", new { name = "张三", title = "总经理" }, HttpStatusCode.Created);
        var task = await admin.PostJsonAsync("/api/tasks", new { firmId, title = "回访", dueOn = "2026-06-20" }, HttpStatusCode.Created);
        var request = await admin.PostJsonAsync("/api/requests", new { firmId, category = "finance", description = "融资需求" }, HttpStatusCode.Created);
        var n = 0;
        return
        [
            new("POST", "/api/firms", () => TestData.Firm(), ["name", "address", "englishName", "formerNames[0]"], ["establishedOn"], HttpStatusCode.Created),
            new("POST", $"/api/firms/{firmId}/contacts", () => new JsonObject { ["name"] = "李四", ["title"] = "财务总监" }, ["name", "title", "wechat"], [], HttpStatusCode.Created),
            new("PUT", $"/api/contacts/{contact.Id()}", () => new JsonObject { ["version"] = contact.Version(), ["name"] = "张三", ["title"] = "董事长" }, ["name", "title"], [], HttpStatusCode.OK),
            new("POST", "/api/visits", () => new JsonObject
            {
                ["firmId"] = firmId, ["kind"] = "on-site", ["on"] = "2026-06-10", ["summary"] = "了解研发投入", ["location"] = "企业会议室",
                ["followUps"] = new JsonArray(new JsonObject { ["title"] = "寄送申报指南", ["dueOn"] = "2026-06-30" }),
            }, ["summary", "location", "requests", "followUps[0].title"], ["on", "followUps[0].dueOn"], HttpStatusCode.Created),
            new("POST", "/api/tasks", () => new JsonObject { ["firmId"] = firmId, ["title"] = "催交年报", ["kind"] = "call", ["dueOn"] = "2026-07-01" }, ["title", "kind"], ["dueOn"], HttpStatusCode.Created),
            new("POST", $"/api/tasks/{task.Id()}/complete", () => new JsonObject { ["version"] = task.Version(), ["completedOn"] = "2026-06-12", ["note"] = "已完成" }, ["note"], ["completedOn"], HttpStatusCode.OK),
            new("POST", "/api/requests", () => new JsonObject { ["firmId"] = firmId, ["category"] = "talent", ["description"] = "人才公寓" }, ["description"], ["raisedOn", "deadline"], HttpStatusCode.Created),
            new("POST", $"/api/requests/{request.Id()}/progress", () => new JsonObject { ["note"] = "已联系人社局" }, ["note"], ["on"], HttpStatusCode.OK),
            new("POST", $"/api/firms/{firmId}/cases", () => new JsonObject { ["program"] = "hnte", ["stage"] = "lead", ["note"] = "立项" }, ["note"], ["on"], HttpStatusCode.Created),
            new("POST", "/api/users", () => new JsonObject
            {
                ["userName"] = $"fuzz{Interlocked.Increment(ref n)}", ["displayName"] = "测试用户", ["role"] = "officer", ["password"] = "Xh-2026-strong-pass!",
            }, ["userName", "displayName", "email"], [], HttpStatusCode.Created),
            new("PUT", "/api/indicators/rd-spending-ratio/values/2025", () => new JsonObject { ["value"] = 3.5, ["source"] = "统计局", ["sourceDate"] = "2026-01-20" }, ["source", "note"], ["sourceDate"], HttpStatusCode.Created),
        ];
    }

    [Fact]
    public async Task Every_write_endpoint_refuses_control_characters_overlong_text_and_out_of_range_dates_naming_the_field_and_writes_nothing()
    {
        using var admin = await factory.AdminAsync();
        var targets = await TargetsAsync(admin);
        var before = await factory.RowCountsAsync();
        var requests = 0;

        foreach (var target in targets)
        {
            var cases = target.Texts.SelectMany(f => BadTexts.Select(v => (Field: f, Value: (JsonNode?)JsonValue.Create(v))))
                .Concat(target.Dates.SelectMany(f => BadDates.Select(v => (Field: f, Value: (JsonNode?)JsonValue.Create(v)))));
            foreach (var (field, value) in cases)
            {
                var body = target.Body();
                if (field == "formerNames[0]")
                {
                    body["formerNames"] = new JsonArray(value);
                }
                else
                {
                    Nested(body, field, value);
                }

                using var response = await admin.SendRawAsync(new HttpMethod(target.Method), target.Url, body.ToJsonString());
                requests++;
                var problem = (await response.ExpectAsync(HttpStatusCode.BadRequest))!;
                var text = problem.ToJsonString();
                Assert.True(problem.ErrorsFor(field).Count > 0, $"{target.Method} {target.Url} {field}: {text[..Math.Min(400, text.Length)]}");
            }
        }

        Assert.True(requests > 150);
        Assert.Equal(before, await factory.RowCountsAsync());

        // The same bodies unspoilt are accepted: the 400s above came from the one bad field.
        foreach (var target in targets)
        {
            using var response = await admin.SendRawAsync(new HttpMethod(target.Method), target.Url, target.Body().ToJsonString());
            await response.ExpectAsync(target.Ok);
        }
    }

    [Fact]
    public async Task Text_lengths_come_from_the_model_and_only_multi_line_fields_take_line_breaks()
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        var before = await factory.RowCountsAsync();

        var contact = await admin.PostJsonAsync($"/api/firms/{firmId}/contacts", new { name = new string('王', 101) }, HttpStatusCode.BadRequest);
        Assert.Contains(contact.ErrorsFor("name"), m => m.Contains("100", StringComparison.Ordinal));
        var user = await admin.PostJsonAsync("/api/users", new { userName = new string('u', 65), displayName = "x", role = "officer", password = "Xh-2026-strong-pass!" }, HttpStatusCode.BadRequest);
        Assert.Contains(user.ErrorsFor("userName"), m => m.Contains("64", StringComparison.Ordinal));
        var task = await admin.PostJsonAsync("/api/tasks", new { firmId, title = "回访", kind = new string('k', 33), dueOn = "2026-06-20" }, HttpStatusCode.BadRequest);
        Assert.Contains(task.ErrorsFor("kind"), m => m.Contains("32", StringComparison.Ordinal));
        var firm = await admin.PostJsonAsync("/api/firms", TestData.Firm(name: new string('企', 201)), HttpStatusCode.BadRequest);
        Assert.Contains(firm.ErrorsFor("name"), m => m.Contains("200", StringComparison.Ordinal));
        var location = await admin.PostJsonAsync("/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", location = "一楼\n二楼" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(location.ErrorsFor("location"));
        Assert.Equal(before, await factory.RowCountsAsync());

        // At the limit, and line breaks and tabs in a summary, are fine.
        await admin.PostJsonAsync($"/api/firms/{firmId}/contacts", new { name = new string('王', 100) }, HttpStatusCode.Created);
        await admin.PostJsonAsync("/api/tasks", new { firmId, title = "回访", kind = new string('k', 32), dueOn = "2026-06-20" }, HttpStatusCode.Created);
        var visit = await admin.PostJsonAsync("/api/visits", new { firmId, kind = "on-site", on = "2026-06-10", summary = "第一行\r\n第二行\t缩进" }, HttpStatusCode.Created);
        Assert.Equal("第一行\r\n第二行\t缩进", visit.Str("summary"));
    }

    [Fact]
    public async Task Numbers_outside_their_domain_are_refused_naming_the_field()
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        var @case = await admin.PostJsonAsync($"/api/firms/{firmId}/cases", new { program = "hnte", stage = "lead" }, HttpStatusCode.Created);
        var task = await admin.PostJsonAsync("/api/tasks", new { firmId, title = "回访", dueOn = "2026-06-01" }, HttpStatusCode.Created);
        var before = await factory.RowCountsAsync();

        foreach (var cohort in new[] { -1, 0, 1899, 2101, 99_999 })
        {
            var problem = await admin.PutJsonAsync($"/api/cases/{@case.Id()}", new { version = @case.Version(), cohort }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("cohort"));
        }

        foreach (var value in new[] { "-1", "1e308", "-0.5" })
        {
            using var response = await admin.SendRawAsync(HttpMethod.Put, "/api/indicators/rd-spending-ratio/values/2025", $"{{\"value\":{value},\"source\":\"统计局\",\"sourceDate\":\"2026-01-20\"}}");
            Assert.NotEmpty((await response.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("value"));
        }

        foreach (var target in new[] { "1e-300", "0", "-3", "1e308" })
        {
            using var response = await admin.SendRawAsync(HttpMethod.Put, "/api/indicators/rd-spending-ratio/targets/2026", $"{{\"target\":{target}}}");
            Assert.NotEmpty((await response.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("target"));
        }

        foreach (var days in new[] { -1, 0, 100_000, int.MaxValue })
        {
            var problem = await admin.PostJsonAsync($"/api/reminders/task-overdue:{task.Id()}/snooze", new { days }, HttpStatusCode.BadRequest);
            Assert.NotEmpty(problem.ErrorsFor("days"));
        }

        using (var financial = await admin.SendRawAsync(HttpMethod.Post, "/api/firms", TestData.Firm().With("financials", JsonNode.Parse("[{\"year\":1066,\"salesRevenue\":10}]")).ToJsonString()))
        {
            Assert.NotEmpty((await financial.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("financials[0].year"));
        }

        Assert.Equal(before, await factory.RowCountsAsync());
        await admin.PutJsonAsync($"/api/cases/{@case.Id()}", new { version = @case.Version(), cohort = 2026 }, HttpStatusCode.OK);
        await admin.PostJsonAsync($"/api/reminders/task-overdue:{task.Id()}/snooze", new { days = 7 }, HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/firms?program=moonshot", "program", "hnte")]
    [InlineData("/api/firms?program=hnte&stage=orbit", "stage", "lead")]
    [InlineData("/api/firms?stage=orbit", "stage", "lead")]
    [InlineData("/api/firms?zone=mars", "zone", "xuhui-riverside")]
    [InlineData("/api/firms?industry=mining", "industry", "ai")]
    [InlineData("/api/cases?program=moonshot", "program", "hnte")]
    [InlineData("/api/cases?program=hnte&stage=orbit", "stage", "lead")]
    [InlineData("/api/requests?category=weather", "category", "finance")]
    [InlineData("/api/requests?department=nasa", "department", "stc")]
    [InlineData("/api/exports/firms?zone=mars", "zone", "xuhui-riverside")]
    [InlineData("/api/exports/firms?industry=mining&format=csv", "industry", "ai")]
    [InlineData("/api/exports/cases?program=hnte&stage=orbit", "stage", "lead")]
    public async Task An_unknown_filter_value_is_a_400_naming_the_parameter_and_listing_the_allowed_values(string url, string parameter, string allowed)
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync(url);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem!.ErrorsFor(parameter), m => m.Contains(allowed, StringComparison.Ordinal));

        // The allowed value itself passes the same filter.
        var fixedUrl = url.Replace(url.Split(parameter + "=")[1].Split('&')[0], allowed, StringComparison.Ordinal);
        using var ok = await admin.GetAsync(fixedUrl);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Theory]
    [InlineData("/api/firms?page=107374184", "page")]
    [InlineData("/api/firms?q=科技&page=2147483647", "page")]
    [InlineData("/api/cases?page=107374184&pageSize=200", "page")]
    [InlineData("/api/tasks?page=1000001", "page")]
    [InlineData("/api/visits?page=2147483647", "page")]
    [InlineData("/api/requests?page=107374184", "page")]
    [InlineData("/api/admin/outbox?page=2147483647&pageSize=500", "page")]
    [InlineData("/api/firms/1/audit?limit=0", "limit")]
    [InlineData("/api/firms/1/audit?limit=-5", "limit")]
    [InlineData("/api/imports?limit=0", "limit")]
    [InlineData("/api/admin/jobs/daily-digest/runs?take=0", "take")]
    [InlineData("/api/visits?from=0001-01-01", "from")]
    [InlineData("/api/visits?to=9999-12-31", "to")]
    [InlineData("/api/tasks?dueBefore=0001-01-01", "dueBefore")]
    [InlineData("/api/firms/1/hnte-check?asOf=9999-12-31", "asOf")]
    [InlineData("/api/targets?asOf=0001-01-01", "asOf")]
    [InlineData("/api/targets?asOf=9999-12-31", "asOf")]
    [InlineData("/api/reports/monthly/0001-01", "month")]
    [InlineData("/api/reports/monthly/0001-01.xlsx", "month")]
    [InlineData("/api/reports/monthly/0001-01/chart.png", "month")]
    [InlineData("/api/reports/monthly/0001-01/snapshots", "month")]
    [InlineData("/api/reports/monthly/1899-12", "month")]
    public async Task Out_of_range_pages_limits_and_dates_in_queries_are_a_400_naming_the_parameter(string url, string parameter)
    {
        using var admin = await factory.AdminAsync();
        using var response = await admin.GetAsync(url);
        Assert.NotEmpty((await response.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor(parameter));
    }

    [Fact]
    public async Task The_highest_page_is_an_empty_page_labelled_as_asked_and_a_report_snapshot_of_year_one_is_refused()
    {
        using var admin = await factory.AdminAsync();
        await admin.CreateFirmAsync();
        var page = await admin.GetJsonAsync("/api/firms?page=1000000&pageSize=200");
        Assert.Empty(page["items"]!.AsArray());
        Assert.Equal(1_000_000, page["page"]!.GetValue<int>());
        var cases = await admin.GetJsonAsync("/api/cases?page=1000000&pageSize=200");
        Assert.Empty(cases["items"]!.AsArray());
        Assert.Equal(1_000_000, cases["page"]!.GetValue<int>());

        var before = await factory.RowCountsAsync();
        var problem = await admin.PostJsonAsync("/api/reports/monthly/0001-01/snapshots", new { reason = "重算" }, HttpStatusCode.BadRequest);
        Assert.NotEmpty(problem.ErrorsFor("month"));
        Assert.Equal(before, await factory.RowCountsAsync());
    }

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

    [Fact]
    public async Task Every_body_with_text_that_an_endpoint_writes_is_mapped_to_the_entity_whose_columns_bound_it()
    {
        using var admin = await factory.AdminAsync();
        var endpoints = factory.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints;
        var services = factory.Services.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceProviderIsService>();
        // Bodies whose text lands in no column: credentials, a column mapping, reminder kinds (codes checked by their handler).
        Type[] columnless = [typeof(Web.Features.Auth.LoginRequest), typeof(Web.Features.Imports.MappingRequest), typeof(Web.Features.Reminders.SubscriptionRequest)];
        var unmapped = new List<string>();
        var bodies = 0;
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? [];
            if (!methods.Any(m => m is "POST" or "PUT") || endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>() is not { } handler)
            {
                continue;
            }

            foreach (var parameter in handler.GetParameters())
            {
                var type = parameter.ParameterType;
                if (!Web.Shared.InputRules.IsOurs(type) || services.IsService(type) || columnless.Contains(type))
                {
                    continue;
                }

                bodies++;
                if (type.GetProperties().Any(p => p.PropertyType == typeof(string)) && Web.Shared.InputRules.EntityWrittenBy(type) is null)
                {
                    unmapped.Add($"{endpoint.DisplayName}: {type.Name}");
                }
            }
        }

        Assert.True(bodies > 20, $"only {bodies} bodies found");
        Assert.Empty(unmapped);
    }

    private static string Token(string html) => AntiforgeryField().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the page");

    [System.Text.RegularExpressions.GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryField();
}
