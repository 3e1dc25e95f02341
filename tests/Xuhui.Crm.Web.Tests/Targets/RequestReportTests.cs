using System.Globalization;
using System.Text.Json;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

/// <summary>October 2026's requests section on the constructed set of <see cref="RequestMonthHost"/>: every figure known in advance.</summary>
public sealed class RequestReportTests(RequestMonthHost host) : IClassFixture<RequestMonthHost>
{
    private async Task<MonthlyReport> ReportAsync(string month = RequestMonthHost.Month)
    {
        var admin = await host.AdminAsync();
        return (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{month}", ApiJson.Options))!;
    }

    [Fact]
    public async Task Raised_closed_closure_rate_and_median_days_count_the_month_by_the_ledger_dates()
    {
        var q = (await ReportAsync()).Requests!;

        // Open on 1 Oct: carried-resolved, carried-overdue, carried-open (closed-in-september is not; archived-firm never).
        Assert.Equal(3, q.OpenAtStart);
        // crossing-month-end, same-month, cannot-resolve, closed-23-59, due-last-day, raised-23-59; not raised-00-01.
        Assert.Equal(6, q.Raised);
        // carried-resolved, same-month, closed-23-59 resolved; cannot-resolve; not crossing-month-end (1 Nov 00:01).
        Assert.Equal((4, 3, 1), (q.Closed, q.Resolved, q.CannotResolve));
        Assert.Equal(0.4444, q.ClosureRate); // 4 ÷ (3 + 6)
        Assert.Equal(15, q.MedianDaysToClose); // 12, 14, 16, 29 calendar days
        // carried-overdue, carried-open, crossing-month-end, due-last-day, raised-23-59.
        Assert.Equal(5, q.OpenAtEnd);
    }

    [Fact]
    public async Task Overdue_at_month_end_by_department_and_by_category()
    {
        var q = (await ReportAsync()).Requests!;
        Assert.Equal(new DateOnly(2026, 10, 31), q.OverdueAsOf);

        // carried-overdue (due 15 Oct), crossing-month-end (due 30 Oct, closed 1 Nov), due-last-day (due 31 Oct);
        // closed-23-59 was late but closed by the end of the month.
        Assert.Equal(3, q.Overdue);
        Assert.Equal(
            [(null, "未指定", 1), ("hrss", "区人社局", 1), ("ip-office", "区知识产权局", 1)],
            q.OverdueByDepartment.Select(g => (g.Code, g.Name, g.Count)).ToList());
        Assert.Equal(
            [("ip", "知识产权", 1), ("other", "其他", 1), ("talent", "人才落户与居住证", 1)],
            q.OverdueByCategory.Select(g => (g.Code, g.Name, g.Count)).ToList());
    }

    [Fact]
    public async Task Satisfaction_counts_each_kind_among_the_requests_closed_in_the_month()
    {
        var s = (await ReportAsync()).Requests!.Satisfaction;
        Assert.Equal((1, 1, 1, 1), (s.Satisfied, s.Basically, s.Dissatisfied, s.NotRecorded));
        Assert.Equal(0.6667, s.SatisfiedRate); // (satisfied + basically) ÷ rated
    }

    [Fact]
    public async Task The_running_month_holds_what_happened_at_00_01_on_the_first_and_counts_overdue_to_yesterday()
    {
        var q = (await ReportAsync("2026-11")).Requests!;
        Assert.Equal(new DateOnly(2026, 11, 1), q.OverdueAsOf);
        Assert.Equal((5, 1), (q.OpenAtStart, q.Raised)); // October's five still open; raised-00-01
        Assert.Equal((1, 1, 0), (q.Closed, q.Resolved, q.CannotResolve)); // crossing-month-end
        Assert.Equal(27, q.MedianDaysToClose); // 5 Oct → 1 Nov
        Assert.Equal(2, q.Overdue); // carried-overdue, due-last-day
        Assert.Equal(5, q.OpenAtEnd); // carried-overdue, carried-open, due-last-day, raised-23-59, raised-00-01
    }

    [Fact]
    public async Task The_xlsx_requests_sheets_read_back_equal_to_the_json()
    {
        var admin = await host.AdminAsync();
        var q = (await ReportAsync()).Requests!;
        var response = await admin.GetAsync($"/api/reports/monthly/{RequestMonthHost.Month}.xlsx");
        response.EnsureSuccessStatusCode();
        using var xlsx = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(ReportWorkbook.RequestSheet, xlsx.GetSheetNames());

        List<IDictionary<string, object?>> Sheet(string name) =>
            xlsx.Query(useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>().ToList();

        var summary = Sheet(ReportWorkbook.RequestSheet).ToDictionary(r => (string)r["项目"]!, r => r);
        int Count(string label) => Convert.ToInt32(summary[label]["件数"], CultureInfo.InvariantCulture);
        double Value(string label) => Convert.ToDouble(summary[label]["数值"], CultureInfo.InvariantCulture);

        Assert.Equal((q.OpenAtStart, q.Raised, q.Closed, q.Resolved, q.CannotResolve), (Count("月初在办"), Count("本月新提"), Count("本月办结"), Count("其中：已解决"), Count("其中：无法解决")));
        Assert.Equal((q.OpenAtEnd, q.Overdue), (Count("月末在办"), Count("逾期未办结（截至 2026-10-31）")));
        Assert.Equal(Math.Round(q.ClosureRate!.Value * 100, 2), Value("办结率(%)"));
        Assert.Equal(q.MedianDaysToClose, Value("办结用时中位数（自然日）"));
        var s = q.Satisfaction;
        Assert.Equal((s.Satisfied, s.Basically, s.Dissatisfied, s.NotRecorded), (Count("满意"), Count("基本满意"), Count("不满意"), Count("未评价")));
        Assert.Equal(Math.Round(s.SatisfiedRate!.Value * 100, 2), Value("满意率(%)"));

        // And the known numbers themselves, so the two cannot agree on a wrong figure.
        Assert.Equal((3, 6, 4, 44.44, 15.0, 3), (Count("月初在办"), Count("本月新提"), Count("本月办结"), Value("办结率(%)"), Value("办结用时中位数（自然日）"), Count("逾期未办结（截至 2026-10-31）")));

        var overdue = Sheet(ReportWorkbook.RequestOverdueSheet)
            .Select(r => ((string)r["分类"]!, (string)r["名称"]!, Convert.ToInt32(r["逾期件数"], CultureInfo.InvariantCulture))).ToList();
        Assert.Equal(
            q.OverdueByDepartment.Select(g => ("按责任部门", g.Name, g.Count)).Concat(q.OverdueByCategory.Select(g => ("按诉求类别", g.Name, g.Count))).ToList(),
            overdue);
        Assert.Equal(6, overdue.Count);
    }

    [Fact]
    public async Task A_snapshot_frozen_before_the_section_existed_reads_without_it_and_its_workbook_says_so()
    {
        var admin = await host.AdminAsync();
        var node = (await admin.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/reports/monthly/{RequestMonthHost.Month}", ApiJson.Options))!;
        Assert.True(node.Remove("requests"));
        var old = node.Deserialize<MonthlyReport>(ApiJson.Options)!;
        Assert.Null(old.Requests);

        using var xlsx = new MemoryStream(ReportWorkbook.Build(old));
        var row = Assert.Single(xlsx.Query(useHeaderRow: true, sheetName: ReportWorkbook.RequestSheet).Cast<IDictionary<string, object?>>());
        Assert.Equal("（该快照生成时尚无此节）", row["项目"]);
        Assert.DoesNotContain("企业诉求", MonthlyReportEmail.Subject(old) + (await host.WithDbAsync((_, sp) => Task.FromResult(sp.GetRequiredService<MonthlyReportEmail>().Compose(old))))[0].Message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_email_text_gives_the_requests_line()
    {
        var report = await ReportAsync();
        var mail = (await host.WithDbAsync((_, sp) => Task.FromResult(sp.GetRequiredService<MonthlyReportEmail>().Compose(report))))[0];
        Assert.Contains(
            "企业诉求：本月新提 6 件，办结 4 件（已解决 3、无法解决 1），办结率 44.4%，办结用时中位数 15 天；月末逾期未办结 3 件；满意 1、基本满意 1、不满意 1",
            mail.Message.TextBody,
            StringComparison.Ordinal);
    }
}

/// <summary>Past months read frozen figures: closing a request later with a back-dated closure leaves October's snapshot as it was.</summary>
public sealed class RequestSnapshotTests(RequestMonthHost host) : IClassFixture<RequestMonthHost>
{
    [Fact]
    public async Task A_back_dated_closure_after_the_month_end_snapshot_leaves_the_frozen_requests_section_unchanged()
    {
        var admin = await host.AdminAsync();
        await host.WithDbAsync((_, sp) => ReportSchedule.RunMonthEndSnapshotAsync(
            sp.GetRequiredService<MonthlySnapshots>(), new DateOnly(2026, 11, 1), CancellationToken.None));

        var closed = await admin.PostAsJsonAsync(
            $"/api/requests/{host.Requests["carried-overdue"]}/close",
            new { outcome = "resolved", resolution = "补录：已于10月20日办结", satisfaction = "satisfied", closedOn = "2026-10-20" },
            ApiJson.Options);
        closed.EnsureSuccessStatusCode();

        var frozen = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{RequestMonthHost.Month}", ApiJson.Options))!;
        Assert.True(frozen.Frozen);
        Assert.Equal((4, 3, 5, 1), (frozen.Requests!.Closed, frozen.Requests.Overdue, frozen.Requests.OpenAtEnd, frozen.Requests.Satisfaction.Satisfied));

        // A re-run recomputes from today's data: the back-dated closure now counts in October.
        var rerun = await admin.PostAsJsonAsync($"/api/reports/monthly/{RequestMonthHost.Month}/snapshots", new SnapshotRequest("补录诉求办结"), ApiJson.Options);
        rerun.EnsureSuccessStatusCode();
        var current = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{RequestMonthHost.Month}", ApiJson.Options))!;
        Assert.Equal((2, 5, 2, 4, 2), (current.SnapshotRevision, current.Requests!.Closed, current.Requests.Overdue, current.Requests.OpenAtEnd, current.Requests.Satisfaction.Satisfied));
    }

}
