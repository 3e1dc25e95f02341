using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>The input rules' field errors answer in the caller's language, and every rule a feature declares has both.</summary>
public sealed class InputRulesLanguageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "不能超过 100 个字符")]
    [InlineData("en", "At most 100 characters")]
    public async Task A_text_over_its_column_length_is_refused_in_the_callers_language(string? acceptLanguage, string message)
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        var problem = await SendAsync(admin, $"/api/firms/{firmId}/contacts", new { name = new string('王', 101) }, acceptLanguage);
        Assert.Equal([message], problem.ErrorsFor("name"));
    }

    [Theory]
    [InlineData(null, "天数应为 1–366")]
    [InlineData("en", "1 to 366 days")]
    public async Task A_number_outside_its_declared_range_is_refused_in_the_callers_language(string? acceptLanguage, string message)
    {
        using var admin = await factory.AdminAsync();
        var firmId = (await admin.CreateFirmAsync()).Id();
        var task = await admin.PostJsonAsync("/api/tasks", new { firmId, title = "回访", dueOn = "2026-06-01" }, HttpStatusCode.Created);
        var problem = await SendAsync(admin, $"/api/reminders/task-overdue:{task.Id()}/snooze", new { days = 400 }, acceptLanguage);
        Assert.Equal([message], problem.ErrorsFor("days"));
    }

    [Fact]
    public void Every_declared_range_message_has_an_English_entry()
    {
        var messages = typeof(InputRules).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            .Select(p => p.GetCustomAttribute<NumberRangeAttribute>())
            .OfType<NumberRangeAttribute>()
            .Select(a => a.Message)
            .ToList();
        Assert.True(messages.Count >= 3, $"only {messages.Count} declared ranges found");
        Assert.DoesNotContain(messages, m => !English.Words.ContainsKey(m));
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> SendAsync(HttpClient client, string url, object body, string? acceptLanguage)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        return (await response.ExpectAsync(HttpStatusCode.BadRequest))!;
    }
}
