using System.Net;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Reports;

/// <summary>
/// The monthly report's refusals answer in the caller's language: Simplified Chinese unless it asks for English. The
/// factory's clock stands in June 2026, so July has not started.
/// </summary>
public sealed class ReportLanguageTests(CrmFactory factory) : IClassFixture<CrmFactory>
{
    [Theory]
    [InlineData(null, "2026-07", "月份尚未开始")]
    [InlineData("en", "2026-07", "The month has not started")]
    [InlineData(null, "2026-13", "月份应为 YYYY-MM")]
    [InlineData("en", "2026-13", "A month, YYYY-MM")]
    [InlineData("en", "1800-01", "A month between 1900-01 and 2100-12")]
    public async Task A_month_the_report_cannot_show_is_refused_on_the_field_in_the_callers_language(string? acceptLanguage, string month, string error)
    {
        using var admin = await factory.AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/reports/monthly/{month}");
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await admin.SendAsync(request);
        var problem = await response.ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(error, problem!["errors"]!["month"]![0]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null, "2026-05 没有第 7 版快照")]
    [InlineData("en", "2026-05 has no snapshot revision 7")]
    public async Task A_missing_snapshot_revision_is_not_found_in_the_callers_language(string? acceptLanguage, string detail)
    {
        using var admin = await factory.AdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reports/monthly/2026-05/snapshots/7");
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await admin.SendAsync(request);
        var problem = await response.ExpectAsync(HttpStatusCode.NotFound);
        Assert.Equal(detail, problem.Str("detail"));
    }
}
