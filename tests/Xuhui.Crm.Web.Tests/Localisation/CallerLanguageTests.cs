using System.Net;
using System.Net.Http.Json;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Localisation;

/// <summary>The API answers in the caller's language: Simplified Chinese unless Accept-Language prefers English.</summary>
public sealed class CallerLanguageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "请求数据有误", "必填")]
    [InlineData("fr-FR, en;q=0.5", "请求数据有误", "必填")]
    [InlineData("en", "Invalid request", "Required")]
    [InlineData("en-GB, zh-CN;q=0.8", "Invalid request", "Required")]
    public async Task A_refused_request_answers_in_the_callers_language(string? acceptLanguage, string title, string fieldError)
    {
        using var client = factory.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "admin", password = "" }) };
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.Str("title"));
        Assert.Equal(fieldError, problem!["errors"]!["password"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "请求数据有误", "JSON 格式无效")]
    [InlineData("en", "Invalid request", "Malformed JSON")]
    public async Task A_body_the_exception_handler_refuses_answers_in_the_callers_language(string? acceptLanguage, string title, string fieldError)
    {
        using var client = factory.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = new StringContent("{\"userName\": ", System.Text.Encoding.UTF8, "application/json") };
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(title, problem.Str("title"));
        var errors = problem!["errors"]!.AsObject();
        Assert.Contains(fieldError, errors.SelectMany(e => e.Value!.AsArray()).Select(v => v!.GetValue<string>()));
    }

    [Fact]
    public async Task Pages_ignore_the_browsers_language()
    {
        using var client = factory.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/login");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("lang=\"zh-CN\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
