using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;

namespace Xuhui.Crm.Web.Features.Reports.Pages;

/// <summary>
/// The monthly report as HTML, its workbook and chart, through the same queries as /api/reports (same snapshots, same rules).
/// Every signed-in role reads it, as the API allows: leadership (viewer) is its main reader. The API takes bearer tokens
/// only, so the page streams the workbook and chart itself under the cookie.
/// </summary>
public sealed class IndexModel(MonthlySnapshots snapshots, ReportChart chart, TimeProvider clock) : PageModel
{
    private ReportServices Services => new(snapshots);

    /// <summary>The sections, in reading order: each is a partial in this folder taking the report as its model.</summary>
    public static readonly IReadOnlyList<string> Sections =
        ["_Pipeline", "_Wins", "_Stalled", "_TimeInStage", "_Visits", "_FollowUps", "_Requests", "_Indicators"];

    public MonthlyReport? Report { get; private set; }
    public string Month { get; private set; } = string.Empty;
    public string? MonthError { get; private set; }
    public string Latest { get; private set; } = string.Empty;

    public async Task<IActionResult> OnGetAsync(string? month, CancellationToken ct)
    {
        // Default: the last closed month, the one leadership reads.
        Latest = ReportMonth.FromDate(ShanghaiTime.Today(clock)).ToString();
        Month = string.IsNullOrEmpty(month) ? ReportMonth.FromDate(ShanghaiTime.Today(clock)).Previous.ToString() : month;
        var outcome = await ReportQueries.ReportAsync(Month, Services, ct);
        Report = outcome.Value;
        MonthError = outcome.IsOk ? null : outcome.Errors?.ToDictionary().SelectMany(e => e.Value).FirstOrDefault() ?? outcome.Message;
        return Page();
    }

    public async Task<IActionResult> OnGetWorkbookAsync(string month, CancellationToken ct) =>
        await ReportQueries.WorkbookAsync(month, Services, ct) is { IsOk: true, Value: { } file }
            ? File(file.Content, file.ContentType, file.Name)
            : NotFound();

    public async Task<IActionResult> OnGetChartAsync(string month, CancellationToken ct) =>
        await ReportQueries.ChartAsync(month, Services, chart, ct) is { IsOk: true, Value: { } file }
            ? File(file.Content, file.ContentType)
            : NotFound();
}
