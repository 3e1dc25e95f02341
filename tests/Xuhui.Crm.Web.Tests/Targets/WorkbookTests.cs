using System.Net.Http.Json;
using MiniExcelLibs;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Tests.Infrastructure;

namespace Xuhui.Crm.Web.Tests.Targets;

public sealed class WorkbookTests(OctoberHost host) : IClassFixture<OctoberHost>
{
    [Fact]
    public async Task The_xlsx_read_back_matches_the_json_section_by_section()
    {
        var admin = await host.AdminAsync();
        var report = (await admin.GetFromJsonAsync<MonthlyReport>($"/api/reports/monthly/{OctoberScenario.Month}", ApiJson.Options))!;
        var response = await admin.GetAsync($"/api/reports/monthly/{OctoberScenario.Month}.xlsx");
        response.EnsureSuccessStatusCode();
        Assert.Equal(MonthlyReportEmail.XlsxContentType, response.Content.Headers.ContentType?.MediaType);
        using var xlsx = new MemoryStream(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(
            [
                ReportWorkbook.OverviewSheet, ReportWorkbook.IndicatorSheet, ReportWorkbook.StageSheet, ReportWorkbook.MovesSheet,
                ReportWorkbook.StalledSheet, ReportWorkbook.DurationSheet, ReportWorkbook.OfficerSheet, ReportWorkbook.ZoneSheet,
                ReportWorkbook.FollowUpSheet, ReportWorkbook.WinsSheet, ReportWorkbook.LapsingSheet, ReportWorkbook.ProjectionSheet,
                ReportWorkbook.RequestSheet, ReportWorkbook.RequestOverdueSheet,
            ],
            xlsx.GetSheetNames());

        List<IDictionary<string, object?>> Sheet(string name) =>
            xlsx.Query(useHeaderRow: true, sheetName: name).Cast<IDictionary<string, object?>>().ToList();

        var indicators = Sheet(ReportWorkbook.IndicatorSheet);
        Assert.Equal(report.Targets.Indicators.Select(i => i.Code), indicators.Select(r => (string)r["指标代码"]!));
        Assert.Equal(report.Targets.Indicators.Select(i => i.NameZh), indicators.Select(r => (string)r["指标"]!));
        Assert.Equal(report.Targets.Indicators.Select(i => i.Value), indicators.Select(r => r["当前值"] is null ? (double?)null : Convert.ToDouble(r["当前值"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(report.Targets.Indicators.Select(i => i.ProgressPercent), indicators.Select(r => r["完成进度(%)"] is null ? (double?)null : Convert.ToDouble(r["完成进度(%)"], System.Globalization.CultureInfo.InvariantCulture)));

        var stages = Sheet(ReportWorkbook.StageSheet);
        var jsonStages = report.Pipeline.SelectMany(p => p.StagesAtMonthEnd.Select(s => (p.ProgramName, s.StageName, s.Cases))).ToList();
        Assert.Equal(jsonStages, stages.Select(r => ((string)r["项目"]!, (string)r["阶段"]!, Convert.ToInt32(r["案件数"], System.Globalization.CultureInfo.InvariantCulture))).ToList());

        var moves = Sheet(ReportWorkbook.MovesSheet);
        Assert.Equal(
            report.Pipeline.Select(p => (p.ProgramName, p.NewCases, p.Advances, p.Regressions, p.Wins, p.Losses)).ToList(),
            moves.Select(r => ((string)r["项目"]!, Int(r["新增"]), Int(r["推进"]), Int(r["回退"]), Int(r["成功"]), Int(r["失败"]))).ToList());

        var wins = Sheet(ReportWorkbook.WinsSheet);
        Assert.Equal(
            report.Wins.Select(w => (w.On.ToDateTime(TimeOnly.MinValue), w.FirmName)).ToList(),
            wins.Select(r => ((DateTime)r["日期"]!, (string)r["企业"]!)).ToList());

        var stalled = Assert.Single(Sheet(ReportWorkbook.StalledSheet));
        Assert.Equal((report.Stalled[0].FirmName, report.Stalled[0].Days, report.Stalled[0].Since.ToDateTime(TimeOnly.MinValue)), ((string)stalled["企业"]!, Int(stalled["停留天数"]), (DateTime)stalled["阶段起始日"]!));

        var durations = Sheet(ReportWorkbook.DurationSheet);
        Assert.Equal(report.TimeInStage.Select(d => d.MedianDays), durations.Select(r => (double?)Convert.ToDouble(r["中位天数"], System.Globalization.CultureInfo.InvariantCulture)));

        var officers = Sheet(ReportWorkbook.OfficerSheet);
        Assert.Equal(report.Visits.ByOfficer.Select(o => (o.Name, o.Visits, o.Firms)), officers.Select(r => ((string)r["专员"]!, Int(r["走访次数"]), Int(r["走访企业数"]))));
        var zones = Sheet(ReportWorkbook.ZoneSheet);
        Assert.Equal(report.Visits.ByZone.Select(z => (z.ZoneName, z.Visits)), zones.Select(r => ((string)r["区域"]!, Int(r["走访次数"]))));

        var followUps = Sheet(ReportWorkbook.FollowUpSheet);
        var total = followUps.Single(r => (string)r["负责人"]! == "合计");
        Assert.Equal((report.FollowUps.CompletedOnTime, report.FollowUps.CompletedLate, report.FollowUps.StillOverdue), (Int(total["按时完成"]), Int(total["逾期完成"]), Int(total["仍逾期"])));

        var lapsing = Assert.Single(Sheet(ReportWorkbook.LapsingSheet));
        Assert.Equal((report.Targets.HntePer10k.Lapsing[0].FirmName, new DateTime(2026, 10, 31)), ((string)lapsing["企业"]!, (DateTime)lapsing["到期日"]!));

        var overview = Sheet(ReportWorkbook.OverviewSheet).ToDictionary(r => (string)r["项目"]!, r => r["值"]);
        Assert.Equal(report.Targets.HntePer10k.Firms, Int(overview["持有有效证书的高企数"]));
        Assert.Equal(report.Targets.HntePer10k.Per10k, Convert.ToDouble(overview["每万户企业法人高企数"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("是", overview["是否暂定（法人数未更新）"]);
    }

    private static int Int(object? value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
}
