using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Reports;

/// <summary>The monthly report routes: each maps its request to a use case or a query and the outcome to its typed results.</summary>
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

    public static async Task<Results<Ok<MonthlyReport>, ValidationProblem>> Get(string month, [AsParameters] ReportServices s, CancellationToken ct) =>
        OkOrInvalid(await ReportQueries.ReportAsync(month, s, ct));

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Workbook(string month, [AsParameters] ReportServices s, CancellationToken ct) =>
        FileOrInvalid(await ReportQueries.WorkbookAsync(month, s, ct));

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> Chart(
        string month, [AsParameters] ReportServices s, ReportChart chart, CancellationToken ct) =>
        FileOrInvalid(await ReportQueries.ChartAsync(month, s, chart, ct));

    public static async Task<Results<Ok<List<SnapshotInfo>>, ValidationProblem>> Snapshots(string month, [AsParameters] ReportServices s, CancellationToken ct) =>
        OkOrInvalid(await ReportQueries.SnapshotsAsync(month, s, ct));

    public static async Task<Results<Ok<MonthlyReport>, ValidationProblem, ProblemHttpResult>> Snapshot(
        string month, int revision, [AsParameters] ReportServices s, CancellationToken ct) =>
        (await ReportQueries.SnapshotAsync(month, revision, s, ct)).ToOk();

    /// <summary>An explicit re-run: computes the month again from today's data and stores it as a new revision.</summary>
    public static async Task<Results<Created<SnapshotInfo>, ValidationProblem, ProblemHttpResult>> Rerun(
        string month, SnapshotRequest request, ClaimsPrincipal user, [AsParameters] ReportServices s, CancellationToken ct) =>
        (await RegenerateSnapshot.HandleAsync(new(month, request), user, s, ct)).ToCreated();

    /// <summary>The reads fail only on the month field, so these routes' unions hold no other problem.</summary>
    private static Results<Ok<T>, ValidationProblem> OkOrInvalid<T>(Outcome<T> outcome) =>
        outcome.IsOk ? TypedResults.Ok(outcome.Value) : (ValidationProblem)outcome.ToProblem();

    private static Results<FileContentHttpResult, ValidationProblem> FileOrInvalid(Outcome<ReportFile> outcome) =>
        outcome is { IsOk: true, Value: { } file }
            ? TypedResults.File(file.Content, file.ContentType, file.Name)
            : (ValidationProblem)outcome.ToProblem();
}
