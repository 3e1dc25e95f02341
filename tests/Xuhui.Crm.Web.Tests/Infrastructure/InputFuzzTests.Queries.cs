using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Xuhui.Crm.Web.Tests.Imports;

namespace Xuhui.Crm.Web.Tests.Infrastructure;

/// <summary>Query parameters: unknown filter values, out-of-range pages, limits and dates.</summary>
public sealed partial class InputFuzzTests
{
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
}
