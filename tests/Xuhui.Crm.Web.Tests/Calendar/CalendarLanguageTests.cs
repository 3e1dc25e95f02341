using System.Net;
using System.Net.Http.Json;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Calendar;

/// <summary>The calendar's refusals answer in the caller's language (Simplified Chinese unless Accept-Language says English).</summary>
public sealed class CalendarLanguageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "必填，不超过 100 字", "2030-05-06 没有例外设置", "年份无效")]
    [InlineData("en", "Required, at most 100 characters", "No exception on 2030-05-06", "Invalid year")]
    public async Task Refusals_answer_in_the_callers_language(string? acceptLanguage, string nameError, string notFound, string yearError)
    {
        using var admin = await factory.AdminAsync();
        async Task<HttpResponseMessage> Send(HttpMethod method, string url, object? body = null)
        {
            using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
            if (acceptLanguage is not null)
            {
                request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
            }

            return await admin.SendAsync(request);
        }

        using var unnamed = await Send(HttpMethod.Put, "/api/admin/calendar/2030-05-06", new { kind = "holiday", name = " " });
        Assert.Equal([nameError], (await unnamed.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("name"));
        using var nothing = await Send(HttpMethod.Delete, "/api/admin/calendar/2030-05-06");
        Assert.Equal(notFound, (await nothing.ExpectAsync(HttpStatusCode.NotFound)).Str("detail"));
        using var year = await Send(HttpMethod.Get, "/api/calendar?year=1999");
        Assert.Equal([yearError], (await year.ExpectAsync(HttpStatusCode.BadRequest))!.ErrorsFor("year"));
    }
}
