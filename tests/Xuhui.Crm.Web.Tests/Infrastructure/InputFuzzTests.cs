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
}
