using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Domain.Time;
using Xuhui.Crm.Web.Features.Reports;
using Xuhui.Crm.Web.Features.Auth;
using Xuhui.Crm.Web.Shared.Localisation;
using Xuhui.Crm.Web.Shared.Pages;

namespace Xuhui.Crm.Web.Features.Reports.Pages;

/// <summary>
/// The monthly report as HTML, its workbook and chart, through the /api/reports handlers (same snapshots, same rules).
/// Every signed-in role reads it, as the API allows: leadership (viewer) is its main reader. The API takes bearer tokens
/// only, so the page streams the workbook and chart itself under the cookie.
/// </summary>
public sealed class IndexModel(MonthlySnapshots snapshots, ReportChart chart, TimeProvider clock) : PageModel
{
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
        var outcome = ApiOutcome.From<MonthlyReport>(await ReportsApi.Get(Month, snapshots, ct));
        Report = outcome.Value;
        MonthError = outcome.Ok ? null : outcome.Message;
        return Page();
    }

    public async Task<IActionResult> OnGetWorkbookAsync(string month, CancellationToken ct) =>
        await ReportsApi.Workbook(month, snapshots, ct) is { Result: FileContentHttpResult file }
            ? File(file.FileContents.ToArray(), file.ContentType, file.FileDownloadName)
            : NotFound();

    public async Task<IActionResult> OnGetChartAsync(string month, CancellationToken ct) =>
        await ReportsApi.Chart(month, snapshots, chart, ct) is { Result: FileContentHttpResult file }
            ? File(file.FileContents.ToArray(), file.ContentType)
            : NotFound();
}
