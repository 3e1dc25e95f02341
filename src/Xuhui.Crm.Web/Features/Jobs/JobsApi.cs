using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Shared;

namespace Xuhui.Crm.Web.Features.Jobs;

public sealed record TriggerDto(string Name, string? Cron, string? TimeZone, string State, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime);

public sealed record JobRunDto(long Id, DateTime ScheduledFor, DateTime StartedAt, DateTime? FinishedAt, bool Manual, JobOutcome Outcome, string? Message);

public sealed record JobDto(string Name, string? Description, bool Running, DateTimeOffset? NextFireTime, DateTimeOffset? LastFireTime, JobRunDto? LastRun, List<TriggerDto> Triggers);

public sealed record JobRunAccepted(string Name, string Message);

public static class JobsApi
{
    public static RouteGroupBuilder MapJobsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/admin/jobs").WithTags("Jobs").RequireAuthorization(Policies.Operator);
        group.MapGet("/", List);
        group.MapGet("/{name}/runs", Runs);
        group.MapPost("/{name}/run", Run);
        return api;
    }

    public static async Task<Ok<List<JobDto>>> List(ISchedulerFactory factory, CrmJobs jobs, CrmDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ListJobs.HandleAsync(factory, jobs, db, ct));

    public static async Task<Results<Ok<List<JobRunDto>>, ProblemHttpResult>> Runs(string name, int? take, CrmJobs jobs, CrmDbContext db, CancellationToken ct)
    {
        var outcome = await ListJobs.RunsAsync(name, take, jobs, db, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblemResult();
    }

    public static async Task<Results<Accepted<JobRunAccepted>, ProblemHttpResult>> Run(string name, ISchedulerFactory factory, CrmJobs jobs, CancellationToken ct)
    {
        var outcome = await RunJob.HandleAsync(name, factory, jobs, ct);
        return outcome.IsOk ? TypedResults.Accepted($"/api/admin/jobs/{name}/runs", outcome.Value) : outcome.ToProblemResult();
    }
}
