using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>A report rendered as a file: the workbook or the chart.</summary>
public sealed record ReportFile(byte[] Content, string ContentType, string? Name);

/// <summary>
/// What the report use cases and queries need, bound as one <c>[AsParameters]</c> argument by the API. The chart
/// renderer is not in it: it loads its font when built, which only the chart route should pay for.
/// </summary>
public sealed record ReportServices(MonthlySnapshots Snapshots);

/// <summary>
/// The reads the API and the reports page share: a month's report (frozen or live), its workbook and chart, and its
/// snapshots. Each refuses a month that is malformed, out of range or not started, on the "month" field.
/// </summary>
public static class ReportQueries
{
    public static async Task<Outcome<MonthlyReport>> ReportAsync(string month, ReportServices s, CancellationToken ct) =>
        Month(month, s.Snapshots) is { IsOk: true, Value: var m }
            ? Outcome.Ok(await s.Snapshots.ReportAsync(m, ct))
            : BadMonth(month, s.Snapshots);

    public static async Task<Outcome<ReportFile>> WorkbookAsync(string month, ReportServices s, CancellationToken ct)
    {
        if (Month(month, s.Snapshots) is not { IsOk: true, Value: var m })
        {
            return BadMonth(month, s.Snapshots);
        }

        var report = await s.Snapshots.ReportAsync(m, ct);
        return Outcome.Ok(new ReportFile(ReportWorkbook.Build(report), MonthlyReportEmail.XlsxContentType, MonthlyReportEmail.AttachmentName(report)));
    }

    public static async Task<Outcome<ReportFile>> ChartAsync(string month, ReportServices s, ReportChart chart, CancellationToken ct) =>
        Month(month, s.Snapshots) is { IsOk: true, Value: var m }
            ? Outcome.Ok(new ReportFile(chart.RenderPng(await s.Snapshots.ReportAsync(m, ct)), "image/png", null))
            : BadMonth(month, s.Snapshots);

    public static async Task<Outcome<List<SnapshotInfo>>> SnapshotsAsync(string month, ReportServices s, CancellationToken ct) =>
        Month(month, s.Snapshots) is { IsOk: true, Value: var m }
            ? Outcome.Ok(await s.Snapshots.ListAsync(m, ct))
            : BadMonth(month, s.Snapshots);

    public static async Task<Outcome<MonthlyReport>> SnapshotAsync(string month, int revision, ReportServices s, CancellationToken ct)
    {
        if (Month(month, s.Snapshots) is not { IsOk: true, Value: var m })
        {
            return BadMonth(month, s.Snapshots);
        }

        return await s.Snapshots.RevisionAsync(m, revision, ct) is { } report
            ? Outcome.Ok(report)
            : Outcome.NotFound(Text.F("{0} 没有第 {1} 版快照", month, revision));
    }

    /// <summary>The month a report can be asked for: "YYYY-MM", a business date, already started.</summary>
    internal static Outcome<ReportMonth> Month(string month, MonthlySnapshots snapshots) =>
        ReportMonth.TryParse(month, out var m) && InputRules.IsBusinessDate(m.First) && !snapshots.IsFuture(m)
            ? Outcome.Ok(m)
            : BadMonth(month, snapshots);

    private static OutcomeFailure BadMonth(string month, MonthlySnapshots snapshots) =>
        !ReportMonth.TryParse(month, out var m)
            ? Outcome.Invalid("month", Text.T("月份应为 YYYY-MM"))
            : !InputRules.IsBusinessDate(m.First)
                ? Outcome.Invalid("month", Text.T("月份应在 1900-01 至 2100-12 之间"))
                : Outcome.Invalid("month", Text.T("月份尚未开始"));
}
