using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Xuhui.Crm.Domain.Targets;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reports;

public static class ReportsApi
{
    public static RouteGroupBuilder MapReportsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/reports/monthly").WithTags("Reports");

        // "?district=": a city-wide user reads one district's report (default: the city's); district users read their own.
        group.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var db = http.RequestServices.GetRequiredService<Data.CrmDbContext>();
            var reference = http.RequestServices.GetRequiredService<Reference.ReferenceData>();
            return Auth.DistrictScope.Narrow(db, reference, http.Request.Query["district"].FirstOrDefault()) is { } notFound
                ? notFound
                : await next(context);
        });
        group.MapGet("/{month}.xlsx", Workbook);
        group.MapGet("/{month}", Get);
        group.MapGet("/{month}/chart.png", Chart);
        group.MapGet("/{month}/snapshots", Snapshots);
        group.MapGet("/{month}/snapshots/{revision:int}", Snapshot);
        group.MapPost("/{month}/snapshots", Rerun).RequireAuthorization(Policies.Admin);
        return api;
    }

    public static async Task<Results<Ok<MonthlyReport>, ValidationProblem>> Get(string month, MonthlySnapshots snapshots, CancellationToken ct) =>
        Parse(month, snapshots) is { } m ? TypedResults.Ok(await snapshots.ReportAsync(m, ct)) : BadMonth(month, snapshots);

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Workbook(string month, MonthlySnapshots snapshots, CancellationToken ct)
    {
        if (Parse(month, snapshots) is not { } m)
        {
            return BadMonth(month, snapshots);
        }

        var report = await snapshots.ReportAsync(m, ct);
        return TypedResults.File(ReportWorkbook.Build(report), MonthlyReportEmail.XlsxContentType, MonthlyReportEmail.AttachmentName(report));
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Chart(
        string month, MonthlySnapshots snapshots, ReportChart chart, CancellationToken ct)
    {
        if (Parse(month, snapshots) is not { } m)
        {
            return BadMonth(month, snapshots);
        }

        return TypedResults.File(chart.RenderPng(await snapshots.ReportAsync(m, ct)), "image/png");
    }

    public static async Task<Results<Ok<List<SnapshotInfo>>, ValidationProblem>> Snapshots(string month, MonthlySnapshots snapshots, CancellationToken ct) =>
        Parse(month, snapshots) is { } m ? TypedResults.Ok(await snapshots.ListAsync(m, ct)) : BadMonth(month, snapshots);

    public static async Task<Results<Ok<MonthlyReport>, ValidationProblem, ProblemHttpResult>> Snapshot(
        string month, int revision, MonthlySnapshots snapshots, CancellationToken ct)
    {
        if (Parse(month, snapshots) is not { } m)
        {
            return BadMonth(month, snapshots);
        }

        return await snapshots.RevisionAsync(m, revision, ct) is { } report
            ? TypedResults.Ok(report)
            : Problems.NotFound($"{month} 没有第 {revision} 版快照 (snapshot not found)");
    }

    /// <summary>An explicit re-run: computes the month again from today's data and stores it as a new revision.</summary>
    public static async Task<Results<Created<SnapshotInfo>, ValidationProblem, ProblemHttpResult>> Rerun(
        string month, SnapshotRequest request, ClaimsPrincipal user, MonthlySnapshots snapshots, CancellationToken ct)
    {
        if (Parse(month, snapshots) is not { } m)
        {
            return BadMonth(month, snapshots);
        }

        if (!snapshots.IsClosed(m))
        {
            return Problems.Field("month", "只能为已结束的月份生成快照 (only a closed month can be frozen)");
        }

        if (string.IsNullOrWhiteSpace(request.Reason))
        {
            return Problems.Field("reason", "重新生成快照须说明原因 (a reason is required)");
        }

        try
        {
            var info = await snapshots.TakeAsync(m, MonthlySnapshots.ManualTrigger, user.UserId(), request.Reason.Trim(), ct);
            return TypedResults.Created($"/api/reports/monthly/{info.Month}/snapshots/{info.Revision}", info);
        }
        catch (DbUpdateException)
        {
            return Problems.Conflict($"{month} 的快照正在被同时生成，请稍后重试");
        }
    }

    private static ReportMonth? Parse(string month, MonthlySnapshots snapshots) =>
        ReportMonth.TryParse(month, out var m) && InputRules.IsBusinessDate(m.First) && !snapshots.IsFuture(m) ? m : null;

    private static ValidationProblem BadMonth(string month, MonthlySnapshots snapshots) =>
        !ReportMonth.TryParse(month, out var m)
            ? Problems.Field("month", "月份应为 YYYY-MM (a month, YYYY-MM)")
            : !InputRules.IsBusinessDate(m.First)
                ? Problems.Field("month", "月份应在 1900-01 至 2100-12 之间 (a month between 1900-01 and 2100-12)")
                : Problems.Field("month", "月份尚未开始 (the month has not started)");
}
