using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Quartz;
using Xuhui.Crm.Web.Data;
using Xuhui.Crm.Web.Features.Search;
using Xuhui.Crm.Web.Shared;
using Xuhui.Crm.Web.Shared.Localisation;

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

    public static async Task<Ok<List<JobDto>>> List(ISchedulerFactory factory, CrmDbContext db, CancellationToken ct)
    {
        var scheduler = await factory.GetScheduler(ct);
        var running = (await scheduler.QueryFireInstances(new FireInstanceQuery(), ct)).Items.Select(f => f.JobKey?.Name).ToHashSet();
        var jobs = new List<JobDto>();
        foreach (var name in JobNames.All)
        {
            var key = JobsSetup.Key(name);
            var detail = await scheduler.GetJobDetail(key, ct);
            var triggers = new List<TriggerDto>();
            foreach (var t in await scheduler.GetTriggersOfJob(key, ct))
            {
                var state = await scheduler.GetTriggerState(t.Key, ct);
                triggers.Add(new TriggerDto(t.Key.Name, (t as ICronTrigger)?.CronExpressionString, (t as ICronTrigger)?.TimeZone.Id, state.ToString(), t.NextFireTimeUtc, t.PreviousFireTimeUtc));
            }

            var last = await db.JobRuns.AsNoTracking().Where(r => r.JobName == name).OrderByDescending(r => r.Id)
                .Select(r => new JobRunDto(r.Id, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.Manual, r.Outcome, r.Message)).FirstOrDefaultAsync(ct);
            jobs.Add(new JobDto(
                name, detail?.Description, running.Contains(name),
                triggers.Select(t => t.NextFireTime).Where(t => t is not null).Min(),
                triggers.Select(t => t.PreviousFireTime).Where(t => t is not null).Max(),
                last, triggers));
        }

        return TypedResults.Ok(jobs);
    }

    public static async Task<Results<Ok<List<JobRunDto>>, ProblemHttpResult>> Runs(string name, int? take, CrmDbContext db, CancellationToken ct)
    {
        if (!JobNames.All.Contains(name))
        {
            return Problems.NotFound(Text.F("任务 {0} 不存在", name));
        }

        var runs = await db.JobRuns.AsNoTracking().Where(r => r.JobName == name).OrderByDescending(r => r.Id).Take(Math.Clamp(take ?? 20, 1, 200))
            .Select(r => new JobRunDto(r.Id, r.ScheduledFor, r.StartedAt, r.FinishedAt, r.Manual, r.Outcome, r.Message)).ToListAsync(ct);
        return TypedResults.Ok(runs);
    }

    /// <summary>Runs the job now (a manual run of the digest sends even on a non-working day); the result appears in the list.</summary>
    public static async Task<Results<Accepted<JobRunAccepted>, ProblemHttpResult>> Run(string name, ISchedulerFactory factory, CancellationToken ct)
    {
        if (!JobNames.All.Contains(name))
        {
            return Problems.NotFound(Text.F("任务 {0} 不存在", name));
        }

        var scheduler = await factory.GetScheduler(ct);
        if (scheduler.Status != SchedulerStatus.Running)
        {
            return Problems.Conflict(Text.T("调度器未运行（Crm:Jobs:Enabled 已关闭）"));
        }

        await scheduler.TriggerJob(JobsSetup.Key(name), new JobDataMap { [JobNames.ManualKey] = "true" }, ct);
        return TypedResults.Accepted($"/api/admin/jobs/{name}/runs", new JobRunAccepted(name, Text.T("已触发")));
    }
}
